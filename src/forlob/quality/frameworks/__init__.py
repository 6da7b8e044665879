"""The frameworks as versioned data (issue 6 item 1): one JSON file per framework version, read
by `loader` from the data migration (0002) and from `manage.py load_framework`. The format is
documented in docs/quality.md ("Rammeværker / Frameworks")."""
