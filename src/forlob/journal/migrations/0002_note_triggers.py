"""Journal notes in the database itself (PostgreSQL), like the audit trail (audit 0002):

- a saved note can never be changed or deleted: a trigger raises on UPDATE and DELETE;
- no note on an anonymous § 101 a course: a trigger raises on INSERT when the course's citizen
  is anonymous or the course has the § 101 a track.
TRUNCATE stays possible for the database owner only (test teardown). On SQLite the model and
queryset guards apply (JournalNote.save/delete, JournalNoteQuerySet).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION forlob_journal_note_locked() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'journal_journalnote: a saved journal note cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER journal_note_locked
  BEFORE UPDATE OR DELETE ON journal_journalnote
  FOR EACH ROW EXECUTE FUNCTION forlob_journal_note_locked();

CREATE OR REPLACE FUNCTION forlob_journal_note_not_anonymous() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pathway_course co JOIN citizens_citizen ci ON ci.id = co.citizen_id
             WHERE co.id = NEW.course_id AND ci.is_anonymous)
     OR EXISTS (SELECT 1 FROM pathway_coursetrack t
                WHERE t.course_id = NEW.course_id AND t.track = 'sel101a') THEN
    RAISE EXCEPTION 'journal_journalnote: no journal notes on an anonymous section 101 a course';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER journal_note_not_anonymous
  BEFORE INSERT ON journal_journalnote
  FOR EACH ROW EXECUTE FUNCTION forlob_journal_note_not_anonymous();
"""
DROP = """
DROP TRIGGER IF EXISTS journal_note_not_anonymous ON journal_journalnote;
DROP FUNCTION IF EXISTS forlob_journal_note_not_anonymous();
DROP TRIGGER IF EXISTS journal_note_locked ON journal_journalnote;
DROP FUNCTION IF EXISTS forlob_journal_note_locked();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0001_initial"),
        ("citizens", "0001_initial"),
        ("pathway", "0003_decision_sessions_per_month"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
