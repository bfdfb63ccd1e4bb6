"""PostgreSQL: keep the search columns where the faceted search reads them cheaply.

The search reads, for every tool matching a query (often most of the library), its id and its small
``search_head`` for ranking, after finding the matches in the GIN index of ``search_vector``. With the default
storage, each row holds ``search_vector`` and ``body`` compressed inline (about 2 kB), so that read touches
four times as many pages as needed, and the ranking decompresses ``search_head``. Here the large values move to
the TOAST table (``toast_tuple_target`` 128, ``search_vector`` stored out of line) and ``search_head`` stays
inline: 10,000 tools read in 9 instead of 16 ms (benchmarks/bench_toolbox.py). Existing rows are rewritten by
computing their vectors again, exactly as ``daks.toolbox.search.index_tools`` does.
"""

from django.db import migrations

REWRITE = """
UPDATE toolbox_tool SET
  search_vector = setweight(to_tsvector('german'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('german'::regconfig, CONCAT(COALESCE(teaser, ''), ' ', COALESCE(keywords, ''))), 'B')
    || setweight(to_tsvector('german'::regconfig, COALESCE(body, '')), 'C'),
  search_head = setweight(to_tsvector('german'::regconfig, COALESCE(title, '')), 'A')
    || setweight(to_tsvector('german'::regconfig, CONCAT(COALESCE(teaser, ''), ' ', COALESCE(keywords, ''))), 'B')
"""


def tune_storage(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE toolbox_tool SET (toast_tuple_target = 128)")
    schema_editor.execute("ALTER TABLE toolbox_tool ALTER COLUMN search_vector SET STORAGE EXTERNAL")
    schema_editor.execute("ALTER TABLE toolbox_tool ALTER COLUMN search_head SET STORAGE MAIN")
    schema_editor.execute(REWRITE)


def default_storage(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE toolbox_tool RESET (toast_tuple_target)")
    schema_editor.execute("ALTER TABLE toolbox_tool ALTER COLUMN search_vector SET STORAGE EXTENDED")
    schema_editor.execute("ALTER TABLE toolbox_tool ALTER COLUMN search_head SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("toolbox", "0002_search_topics_groups")]

    operations = [migrations.RunPython(tune_storage, default_storage)]
