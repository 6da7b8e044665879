"""Date input formats: ISO first, so <input type="date"> gets a value the browser accepts;
Danish day-first forms are still accepted when typed."""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"]
