/* test-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The directory import, from the fixtures in tests/data/aaf/ (a collège's
 * complete export, a later one, a ministry delta, an academy-wide chunked
 * set, files with faults) and the real samples.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sesame.h"
#include "sesame-accounts-private.h"
#include "sesame-import-private.h"
#include "sesame-store-private.h"
#include "sesame-test-util.h"

/* 2024-09-02 08:00 UTC */
#define NOW G_GINT64_CONSTANT (1725264000)

typedef struct
{
  char        *dir;
  SesameStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = sesame_test_make_tmpdir ();
  path = g_build_filename (fixture->dir, "store.db", NULL);
  fixture->store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  sesame_store_set_now (fixture->store, NOW);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
aaf_path (const char *name)
{
  g_autofree char *dir = sesame_test_data_path ("aaf");

  return g_build_filename (dir, name, NULL);
}

/* Imports the named fixtures (files or folders under tests/data/aaf/). */
static SesameImportSummary *
import_full (Fixture             *fixture,
             SesameImportFlags    flags,
             const char * const  *establishments,
             GError             **error,
             const char          *first,
             ...)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  va_list args;

  va_start (args, first);
  for (name = first; name != NULL; name = va_arg (args, const char *))
    g_ptr_array_add (paths, aaf_path (name));
  va_end (args);
  g_ptr_array_add (paths, NULL);

  return sesame_store_import (fixture->store, (const char * const *) paths->pdata, establishments,
                              flags, NULL, NULL, NULL, error);
}

static SesameImportSummary *
import_ok (Fixture    *fixture,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  SesameImportSummary *summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error, name, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

static gint64
sql_int (Fixture    *fixture,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (fixture->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
sql_text (Fixture    *fixture,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (fixture->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

#define assert_sql_int(fixture, sql, expected) \
  g_assert_cmpint (sql_int ((fixture), (sql)), ==, (expected))

#define assert_sql_text(fixture, sql, expected) \
  G_STMT_START { \
    g_autofree char *_value = sql_text ((fixture), (sql)); \
    g_assert_cmpstr (_value, ==, (expected)); \
  } G_STMT_END

/* Everything an import may write but its own record (imports, audit), as
 * one text: equal texts, equal stores. */
static char *
store_snapshot (Fixture *fixture)
{
  return sql_text (fixture,
                   "SELECT (SELECT group_concat(key || kind || profile || title || last_name || first_name || birth_name"
                   "  || birth_date || ine || structure || address || postal_code || city || country || email"
                   "  || home_phone || work_phone || mobile || is_head || first_seen_at || IFNULL (last_import, '')"
                   "  || IFNULL (left_at, '') || IFNULL (deleted_at, ''), '|') FROM persons)"
                   " || (SELECT group_concat(person_key || structure || kind || code || IFNULL (deleted_at, ''), '|') FROM memberships)"
                   " || (SELECT IFNULL (group_concat(pupil_key || parent_key || relationship || legal || IFNULL (deleted_at, ''), '|'), '') FROM guardians)"
                   " || (SELECT IFNULL (group_concat(person_key || structure || code || IFNULL (deleted_at, ''), '|'), '') FROM functions)"
                   " || (SELECT IFNULL (group_concat(person_key || kind || code || IFNULL (deleted_at, ''), '|'), '') FROM teachings)"
                   " || (SELECT IFNULL (group_concat(person_key || login || IFNULL (disabled_at, ''), '|'), '') FROM accounts)"
                   " || (SELECT count(*) FROM credentials) || '/' || (SELECT count(*) FROM identifier_files)"
                   " || '/' || (SELECT count(*) FROM persons_fts) || '/' || (SELECT count(*) FROM establishments)"
                   " || '/' || (SELECT count(*) FROM subjects)");
}

static gboolean
has_warning (const SesameImportSummary *summary,
             const char                *first,
             const char                *second)
{
  for (guint i = 0; i < summary->warnings->len; i++)
    {
      const char *warning = g_ptr_array_index (summary->warnings, i);

      if (strstr (warning, first) != NULL && (second == NULL || strstr (warning, second) != NULL))
        return TRUE;
    }
  return FALSE;
}

static guint
count_search (Fixture    *fixture,
              const char *text)
{
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  query->text = g_strdup (text);
  results = sesame_store_search (fixture->store, query, NULL, &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (results);
}

static void
test_college (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SesameImportSummary) summary = import_ok (fixture, "college");
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  SesameIdentifierFile *file;

  g_assert_false (summary->dry_run);
  g_assert_cmpuint (summary->files, ==, 5);
  g_assert_cmpuint (summary->establishments, ==, 1);
  g_assert_cmpuint (summary->subjects, ==, 4);
  g_assert_cmpuint (summary->pupils, ==, 5);
  g_assert_cmpuint (summary->parents, ==, 5);
  g_assert_cmpuint (summary->staff, ==, 4);
  g_assert_cmpuint (summary->persons_created, ==, 14);
  g_assert_cmpuint (summary->persons_updated, ==, 0);
  g_assert_cmpuint (summary->persons_departed, ==, 0);
  g_assert_cmpuint (summary->accounts_created, ==, 14);
  g_assert_cmpuint (summary->identifier_files->len, ==, 1);
  g_assert_cmpstr (summary->import_id, !=, "");

  /* Moussa names a parent the export does not hold: reported, not fatal. */
  g_assert_cmpuint (summary->warnings->len, ==, 1);
  g_assert_true (has_warning (summary, "ENT_0741234A_Complet_20240901_Eleve_0000.xml, line ", "R299"));

  /* The establishment and the subjects. */
  assert_sql_text (fixture, "SELECT uai || '|' || name || '|' || street || '|' || postal_code || '|' || city"
                            " || '|' || academy || '|' || phone FROM establishments WHERE jointure = '61001'",
                   "0741234A|COLLEGE DU MONT BLANC|5 avenue des Alpes|74400|CHAMONIX-MONT-BLANC|GRENOBLE|0450000001");
  assert_sql_text (fixture, "SELECT label FROM subjects WHERE code = '061300'", "MATHEMATIQUES");

  /* A pupil: UTF-8 without declaration, dates turned round, INE. */
  assert_sql_text (fixture, "SELECT kind || '|' || profile || '|' || title || '|' || last_name || '|' || first_name"
                            " || '|' || birth_name || '|' || birth_date || '|' || ine || '|' || structure || '|' || address"
                            " FROM persons WHERE key = 'E300'",
                   "Eleve|1|Mlle|LEFÈVRE|Léa|LEFÈVRE|2012-04-03|123456789AB|61001|14 rue du Vieux Moulin");
  /* Noé has no address of his own: ENTEleveAdresseRel names his father's. */
  assert_sql_text (fixture, "SELECT address || '|' || postal_code || '|' || city FROM persons WHERE key = 'E301'",
                   "14 rue du Vieux Moulin|74400|CHAMONIX-MONT-BLANC");

  /* A parent from an ISO-8859-1 file with references, a four-line address. */
  assert_sql_text (fixture, "SELECT profile || '|' || first_name || '|' || address || '|' || email || '|' || home_phone"
                            " || '|' || mobile FROM persons WHERE key = 'R200'",
                   "2|Hélène|Appartement 12\nRésidence Les Tilleuls\n14 rue du Vieux Moulin|helene.lefevre@example.org"
                   "|0450000010|0600000010");
  assert_sql_text (fixture, "SELECT first_name || '|' || work_phone FROM persons WHERE key = 'R201'", "Gaël|0450000011");

  /* Classes and groups, codes with spaces. */
  assert_sql_text (fixture, "SELECT group_concat(structure || ':' || kind || ':' || code, ',') FROM"
                            " (SELECT * FROM memberships WHERE person_key = 'E300' ORDER BY kind, code)",
                   "61001:class:6 A,61001:group:LATIN 5");

  /* Guardians in the new coding; Léa lists her mother twice: once. */
  assert_sql_text (fixture, "SELECT group_concat(parent_key || ':' || relationship || ':' || legal || ':' || financial"
                            " || ':' || contact, ',') FROM (SELECT * FROM guardians WHERE pupil_key = 'E300' ORDER BY parent_key)",
                   "R200:10:1:1:1,R201:20:1:1:0");
  assert_sql_text (fixture, "SELECT relationship FROM guardians WHERE pupil_key = 'E302' AND parent_key = 'R203'", "50");
  assert_sql_int (fixture, "SELECT count(*) FROM guardians WHERE parent_key = 'R299'", 0);

  /* Staff: the head, a teacher with classes, groups, main class and subject. */
  assert_sql_text (fixture, "SELECT profile || '|' || is_head || '|' || email FROM persons WHERE key = 'S100'",
                   "4|1|martine.rochat@example.org");
  assert_sql_text (fixture, "SELECT profile || '|' || is_head FROM persons WHERE key = 'S101'", "3|0");
  assert_sql_text (fixture, "SELECT group_concat(kind || ':' || code, ',') FROM"
                            " (SELECT * FROM teachings WHERE person_key = 'S101' ORDER BY kind, code)",
                   "class:5 B,class:6 A,group:LATIN 5,principal:6 A");
  assert_sql_text (fixture, "SELECT label FROM staff_subjects WHERE person_key = 'S101'", "MATHEMATIQUES");
  assert_sql_text (fixture, "SELECT code || '|' || label || '|' || discipline || '|' || discipline_label"
                            " FROM functions WHERE person_key = 'S102'",
                   "EDU|EDUCATION|E0030|CONSEILLER PRINCIPAL D'EDUCATION");

  /* Every person has an account; only pupils and parents a first password. */
  assert_sql_int (fixture, "SELECT count(*) FROM accounts", 14);
  assert_sql_int (fixture, "SELECT count(DISTINCT person_key) FROM credentials", 10);
  assert_sql_int (fixture, "SELECT count(*) FROM credentials c JOIN persons p ON p.key = c.person_key"
                           " WHERE p.kind = 'PersEducNat'", 0);
  assert_sql_text (fixture, "SELECT login FROM accounts WHERE person_key = 'E300'", "lea.lefevre");

  /* One identifier file for the collège, of its ten distributable accounts. */
  files = sesame_store_list_identifier_files (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  file = g_ptr_array_index (files, 0);
  g_assert_cmpstr (file->id, ==, g_ptr_array_index (summary->identifier_files, 0));
  g_assert_cmpstr (file->name, ==, "ENT-Identifiants-0741234A.csv");
  g_assert_cmpuint (file->accounts, ==, 10);

  /* The import is recorded, and audited once. */
  assert_sql_int (fixture, "SELECT count(*) FROM imports", 1);
  assert_sql_int (fixture, "SELECT complete FROM imports", 1);
  assert_sql_int (fixture, "SELECT count(*) FROM audit WHERE action = 'import'", 1);
  assert_sql_int (fixture, "SELECT count(*) FROM audit WHERE action = 'import'"
                           " AND target LIKE '%ENT_0741234A_Complet_20240901_Eleve_0000.xml%'"
                           " AND detail LIKE '%\"persons_created\":14%'", 1);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE last_import IS NOT (SELECT id FROM imports)", 0);

  /* The people are searchable at once. */
  g_assert_cmpuint (count_search (fixture, "lea lefevre"), ==, 1);
  g_assert_cmpuint (count_search (fixture, "helene"), ==, 1);
  g_assert_cmpuint (count_search (fixture, "lefevre"), ==, 4);

  description = sesame_import_summary_describe (summary);
  g_assert_nonnull (strstr (description, "14"));
  g_assert_nonnull (strchr (description, '\n'));
}

static void
test_reimport_changes_nothing (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) second = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 audit;

  before = store_snapshot (fixture);
  audit = sql_int (fixture, "SELECT count(*) FROM audit");

  sesame_store_set_now (fixture->store, NOW + 3600);
  second = import_ok (fixture, "college");
  g_assert_cmpuint (second->pupils, ==, 5);
  g_assert_cmpuint (second->persons_created, ==, 0);
  g_assert_cmpuint (second->persons_updated, ==, 0);
  g_assert_cmpuint (second->persons_departed, ==, 0);
  g_assert_cmpuint (second->accounts_created, ==, 0);
  g_assert_cmpuint (second->identifier_files->len, ==, 0);

  /* Nothing written but the import's own record and one audit entry. */
  after = store_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
  assert_sql_int (fixture, "SELECT count(*) FROM imports", 2);
  assert_sql_int (fixture, "SELECT count(*) FROM audit", audit + 1);
  assert_sql_int (fixture, "SELECT count(*) FROM audit WHERE action = 'import'", 2);
  assert_sql_int (fixture, "SELECT count(*) FROM memberships WHERE deleted_at IS NOT NULL", 0);
  assert_sql_int (fixture, "SELECT count(*) FROM guardians WHERE deleted_at IS NOT NULL", 0);
}

static void
test_departure_and_return (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) later = NULL;
  g_autoptr(SesameImportSummary) back = NULL;
  g_autoptr(SesamePerson) chloe = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  sesame_store_set_now (fixture->store, NOW + 30 * 86400);
  later = import_ok (fixture, "college-later");
  g_assert_cmpuint (later->files, ==, 3);
  g_assert_cmpuint (later->persons_created, ==, 0);
  /* Noé changed class. */
  g_assert_cmpuint (later->persons_updated, ==, 1);
  /* Chloé left, her only parent with her, and the librarian. */
  g_assert_cmpuint (later->persons_departed, ==, 3);
  assert_sql_text (fixture, "SELECT group_concat(key, ',') FROM (SELECT key FROM persons WHERE left_at IS NOT NULL ORDER BY key)",
                   "E303,R204,S103");
  assert_sql_int (fixture, "SELECT left_at FROM persons WHERE key = 'E303'", NOW + 30 * 86400);
  /* Marked, never deleted; their accounts disabled, their first passwords gone. */
  assert_sql_int (fixture, "SELECT count(*) FROM persons", 14);
  assert_sql_int (fixture, "SELECT count(*) FROM accounts WHERE disabled_at IS NOT NULL", 3);
  password = _sesame_store_dup_first_password (fixture->store, "E303");
  g_assert_null (password);
  chloe = sesame_store_find_person (fixture->store, "E303", &error);
  g_assert_no_error (error);
  g_assert_true (sesame_person_get_has_left (chloe));
  g_assert_cmpint (sesame_person_get_state (chloe), ==, SESAME_ACCOUNT_STATE_DISABLED);
  g_clear_object (&chloe);
  /* Noé's old class has a tombstone. */
  assert_sql_text (fixture, "SELECT code FROM memberships WHERE person_key = 'E301' AND deleted_at IS NULL", "5 B");
  assert_sql_int (fixture, "SELECT deleted_at FROM memberships WHERE person_key = 'E301' AND code = '6 A'", NOW + 30 * 86400);
  /* The others stay. */
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NULL", 11);

  /* They come back: re-enabled, nobody created twice. */
  sesame_store_set_now (fixture->store, NOW + 60 * 86400);
  back = import_ok (fixture, "college");
  g_assert_cmpuint (back->persons_created, ==, 0);
  g_assert_cmpuint (back->persons_updated, ==, 4);
  g_assert_cmpuint (back->persons_departed, ==, 0);
  g_assert_cmpuint (back->accounts_created, ==, 0);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL", 0);
  assert_sql_int (fixture, "SELECT count(*) FROM accounts WHERE disabled_at IS NOT NULL", 0);
  assert_sql_text (fixture, "SELECT code FROM memberships WHERE person_key = 'E301' AND deleted_at IS NULL", "6 A");
  chloe = sesame_store_find_person (fixture->store, "E303", &error);
  g_assert_no_error (error);
  g_assert_false (sesame_person_get_has_left (chloe));
}

static void
test_departure_scope (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SesameImportSummary) college = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) academy = NULL;
  g_autoptr(SesameImportSummary) later = NULL;

  /* An academy-wide export of two other establishments: the collège's
   * people, pupils, staff and their parents, are not in it and stay. */
  academy = import_ok (fixture, "academy");
  g_assert_cmpuint (academy->persons_created, ==, 13);
  g_assert_cmpuint (academy->persons_departed, ==, 0);

  /* The collège's own later export: its leavers leave, nobody else. */
  later = import_ok (fixture, "college-later");
  g_assert_cmpuint (later->persons_departed, ==, 3);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL AND key NOT IN ('E303', 'R204', 'S103')", 0);
}

static void
test_delta (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) delta = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  sesame_store_set_now (fixture->store, NOW + 86400);
  delta = import_ok (fixture, "college-delta/ENT_0741234A_Delta_20240915_Eleve_0000.xml");
  g_assert_cmpuint (delta->files, ==, 1);
  g_assert_cmpuint (delta->pupils, ==, 3);
  g_assert_cmpuint (delta->persons_created, ==, 1);
  g_assert_cmpuint (delta->persons_updated, ==, 1);
  g_assert_cmpuint (delta->persons_departed, ==, 1);
  g_assert_cmpuint (delta->accounts_created, ==, 1);

  /* The ministry's </attr> is repaired and named. */
  g_assert_true (has_warning (delta, "ENT_0741234A_Delta_20240915_Eleve_0000.xml, line 12", "</attr>"));
  g_assert_true (has_warning (delta, "ENT_0741234A_Delta_20240915_Eleve_0000.xml, line 17", "</attr>"));

  /* modifyRequest: Lucas changed class; what it does not name is kept. */
  assert_sql_text (fixture, "SELECT code FROM memberships WHERE person_key = 'E304' AND deleted_at IS NULL", "5 B");
  assert_sql_int (fixture, "SELECT count(*) FROM memberships WHERE person_key = 'E304' AND deleted_at IS NOT NULL", 1);
  assert_sql_text (fixture, "SELECT birth_name || '|' || ine FROM persons WHERE key = 'E304'", "MARTIN|123456789AF");
  /* deleteRequest: Moussa left, his account is disabled. */
  assert_sql_int (fixture, "SELECT left_at FROM persons WHERE key = 'E302'", NOW + 86400);
  assert_sql_int (fixture, "SELECT disabled_at IS NOT NULL FROM accounts WHERE person_key = 'E302'", 1);
  /* addRequest: Inès, linked to her guardian, in a new identifier file. */
  assert_sql_text (fixture, "SELECT parent_key || ':' || relationship FROM guardians WHERE pupil_key = 'E305'", "R203:50");
  files = sesame_store_list_identifier_files (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);
  assert_sql_int (fixture, "SELECT accounts FROM identifier_files WHERE import_id = (SELECT id FROM imports"
                           " ORDER BY started_at DESC LIMIT 1)", 1);
  /* A delta says nothing about who is missing from it. */
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL", 1);
}

static void
test_academy_chunked (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  /* Given in the wrong order: pupils first, establishments last. */
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error,
                         "academy/FULL_ENTTEST_Complet_20240905_Eleve_0001.xml",
                         "academy/FULL_ENTTEST_Complet_20240905_Eleve_0000.xml",
                         "academy/clean-FULL_ENTTEST_Complet_20240905_PersRelEleve_0001.xml",
                         "academy/FULL_ENTTEST_Complet_20240905_PersEducNat_0000.xml",
                         "academy/FULL_ENTTEST_Complet_20240905_PersRelEleve_0000.xml",
                         "academy/FULL_ENTTEST_Complet_20240905_MatiereEducNat_0000.xml",
                         "academy/FULL_ENTTEST_Complet_20240905_EtabEducNat_0000.xml",
                         NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->files, ==, 7);
  g_assert_cmpuint (summary->establishments, ==, 2);
  g_assert_cmpuint (summary->pupils, ==, 4);
  g_assert_cmpuint (summary->parents, ==, 5);
  g_assert_cmpuint (summary->staff, ==, 4);
  g_assert_cmpuint (summary->persons_created, ==, 13);

  /* Every link resolved but the one to a parent absent from the set. */
  g_assert_cmpuint (summary->warnings->len, ==, 1);
  g_assert_true (has_warning (summary, "FULL_ENTTEST_Complet_20240905_Eleve_0000.xml, line ", "R999"));

  /* ISO-8859-15. */
  assert_sql_text (fixture, "SELECT name || '|' || street FROM establishments WHERE uai = '0382222Y'",
                   "LYCÉE DU CŒUR DE CHARTREUSE|8 place de l'Œuvre");
  /* Old relationship codes (1 father, 2 mother, 3 guardian), stored in the new coding. */
  assert_sql_text (fixture, "SELECT group_concat(parent_key || ':' || relationship, ',') FROM"
                            " (SELECT * FROM guardians WHERE pupil_key = 'E600' ORDER BY parent_key)", "R500:10,R501:20");
  assert_sql_text (fixture, "SELECT relationship FROM guardians WHERE pupil_key = 'E610' AND parent_key = 'R510'", "50");
  /* The older attributes, without ENTElevePersRelEleve. */
  assert_sql_text (fixture, "SELECT parent_key || ':' || relationship || ':' || legal FROM guardians WHERE pupil_key = 'E601'",
                   "R502:10:1");
  /* A pupil in classes of two structures. */
  assert_sql_text (fixture, "SELECT group_concat(structure || ':' || code, ',') FROM"
                            " (SELECT * FROM memberships WHERE person_key = 'E601' ORDER BY structure)",
                   "62001:3E A,62002:SECTION SPORTIVE");
  /* Staff working in two establishments. */
  assert_sql_int (fixture, "SELECT count(*) FROM functions WHERE person_key = 'S402'", 2);

  /* One file per establishment; the mother of pupils in both is in both. */
  assert_sql_int (fixture, "SELECT count(*) FROM identifier_files", 2);
  assert_sql_int (fixture, "SELECT accounts FROM identifier_files WHERE establishment = '0381111X'", 5);
  assert_sql_int (fixture, "SELECT accounts FROM identifier_files WHERE establishment = '0382222Y'", 5);
  assert_sql_int (fixture, "SELECT count(*) FROM identifier_file_accounts WHERE person_key = 'R502'", 2);
}

static void
test_establishment_filter (Fixture       *fixture,
                           gconstpointer  data)
{
  const char * const keep[] = { "0381111x", NULL };
  const char * const unknown[] = { "0999999Z", NULL };
  const char * const invalid[] = { "12", NULL };
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, unknown, &error, "academy", NULL);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "0999999Z"));
  g_assert_null (summary);
  g_clear_error (&error);

  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, invalid, &error, "academy", NULL);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);
  assert_sql_int (fixture, "SELECT count(*) FROM persons", 0);

  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, keep, &error, "academy", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->establishments, ==, 1);
  g_assert_cmpuint (summary->pupils, ==, 2);
  g_assert_cmpuint (summary->parents, ==, 3);
  g_assert_cmpuint (summary->staff, ==, 2);
  assert_sql_text (fixture, "SELECT group_concat(key, ',') FROM (SELECT key FROM persons ORDER BY key)",
                   "E600,E601,R500,R501,R502,S400,S401");
  assert_sql_text (fixture, "SELECT group_concat(uai, ',') FROM establishments", "0381111X");
  assert_sql_int (fixture, "SELECT count(*) FROM identifier_files", 1);
  assert_sql_text (fixture, "SELECT establishment FROM identifier_files", "0381111X");
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(SesameImportSummary) real = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = store_snapshot (fixture);
  g_autofree char *after = NULL;
  g_autofree char *description = NULL;

  summary = import_full (fixture, SESAME_IMPORT_FLAGS_DRY_RUN, NULL, &error, "college", NULL);
  g_assert_no_error (error);
  g_assert_true (summary->dry_run);
  g_assert_cmpuint (summary->persons_created, ==, 14);
  g_assert_cmpuint (summary->accounts_created, ==, 14);
  g_assert_cmpuint (summary->identifier_files->len, ==, 0);
  g_assert_cmpstr (summary->import_id, ==, "");
  description = sesame_import_summary_describe (summary);
  g_assert_nonnull (strstr (description, "Dry run"));

  /* Nothing written, not even the audit trail. */
  after = store_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
  assert_sql_int (fixture, "SELECT count(*) FROM persons", 0);
  assert_sql_int (fixture, "SELECT count(*) FROM audit", 0);

  /* A dry run of a later export tells who would leave, and writes nothing. */
  real = import_ok (fixture, "college");
  g_clear_pointer (&summary, sesame_import_summary_free);
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);
  before = store_snapshot (fixture);
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_DRY_RUN, NULL, &error, "college-later", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->persons_departed, ==, 3);
  after = store_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
  assert_sql_int (fixture, "SELECT count(*) FROM imports", 1);
}

static void
test_refused_file_rolls_back (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = store_snapshot (fixture);
  g_autofree char *after = NULL;

  /* The later export is complete, but one file of the import is cut off. */
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error,
                         "college-later", "quirks/truncated.xml", NULL);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "truncated.xml"));
  g_assert_nonnull (strstr (error->message, "line 59"));
  g_assert_null (summary);

  /* Nobody left, nothing changed. */
  after = store_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
  assert_sql_int (fixture, "SELECT count(*) FROM imports", 1);
  assert_sql_int (fixture, "SELECT count(*) FROM audit WHERE action = 'import'", 1);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL", 0);
}

/* The snapshot of a store, its import's id aside. */
static char *
snapshot_without_import_id (Fixture *fixture)
{
  g_autofree char *id = sql_text (fixture, "SELECT id FROM imports");
  g_autofree char *text = store_snapshot (fixture);
  GString *snapshot = g_string_new (text);

  g_assert_nonnull (id);
  g_assert_cmpuint (g_string_replace (snapshot, id, "", 0), >, 0);
  return g_string_free (snapshot, FALSE);
}

#define INDEXES_SQL \
  "SELECT group_concat (name || ':' || sql, char(10)) FROM" \
  " (SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)"

/* A first import into an empty store drops the indexes nothing reads while
 * records are applied and builds them at the end: the store ends up the
 * same as after a record-by-record import, indexes included. A bulk import
 * that fails gives the indexes back. */
static void
test_bulk (Fixture       *fixture,
           gconstpointer  data)
{
  guint64 saved = _sesame_import_bulk_min_bytes;
  g_autofree char *indexes = sql_text (fixture, INDEXES_SQL);
  g_autofree char *bulk_snapshot = NULL;
  g_autofree char *bulk_indexes = NULL;
  g_autofree char *snapshot = NULL;
  g_autoptr(SesameImportSummary) refused = NULL;
  g_autoptr(GError) error = NULL;
  Fixture other;

  g_assert_nonnull (strstr (indexes, "memberships_code:"));
  g_assert_nonnull (strstr (indexes, "guardians_parent:"));

  /* A failed bulk import. */
  _sesame_import_bulk_min_bytes = 0;
  refused = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error,
                         "college", "quirks/truncated.xml", NULL);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_assert_null (refused);
  bulk_indexes = sql_text (fixture, INDEXES_SQL);
  g_assert_cmpstr (bulk_indexes, ==, indexes);
  assert_sql_int (fixture, "SELECT count(*) FROM persons", 0);

  /* A bulk import, and the same import record by record. */
  g_clear_pointer (&bulk_indexes, g_free);
  g_clear_pointer (&error, g_error_free);
  sesame_import_summary_free (import_ok (fixture, "college"));
  bulk_indexes = sql_text (fixture, INDEXES_SQL);
  bulk_snapshot = snapshot_without_import_id (fixture);

  _sesame_import_bulk_min_bytes = G_MAXUINT64;
  fixture_set_up (&other, NULL);
  sesame_import_summary_free (import_ok (&other, "college"));
  snapshot = snapshot_without_import_id (&other);
  fixture_tear_down (&other, NULL);
  _sesame_import_bulk_min_bytes = saved;

  g_assert_cmpstr (bulk_indexes, ==, indexes);
  g_assert_cmpstr (bulk_snapshot, ==, snapshot);
  assert_sql_text (fixture, "PRAGMA integrity_check", "ok");
  assert_sql_int (fixture, "SELECT count(*) FROM memberships INDEXED BY memberships_code WHERE code = '6 a' COLLATE NOCASE", 2);
}

static gint64
count_in_database_file (Fixture    *fixture,
                        const char *sql)
{
  g_autofree char *path = g_build_filename (fixture->dir, "store.db", NULL);
  g_autofree char *uri = g_strconcat ("file:", path, "?immutable=1", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  /* immutable: the database file alone, not its write-ahead log. */
  g_assert_cmpint (sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", path, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return count;
}

/* A bulk import's pages reach the database file in the background, while
 * the store goes on being written; nothing is lost. */
static void
test_bulk_checkpoint (Fixture       *fixture,
                      gconstpointer  data)
{
  guint64 saved = _sesame_import_bulk_min_bytes;
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  _sesame_import_bulk_min_bytes = 0;
  summary = import_ok (fixture, "college");
  _sesame_import_bulk_min_bytes = saved;
  g_assert_cmpuint (summary->persons_created, >, 0);

  g_assert_true (sesame_store_set_setting (fixture->store, SESAME_SETTING_ENT_NAME, "ENT du collège", &error));
  g_assert_no_error (error);
  assert_sql_int (fixture, "SELECT count(*) FROM persons", summary->persons_created);

  _sesame_store_wait_for_checkpoint (fixture->store);
  g_assert_cmpint (count_in_database_file (fixture, "SELECT count(*) FROM persons"), ==, summary->persons_created);
  g_assert_cmpint (count_in_database_file (fixture, "SELECT count(*) FROM accounts"), ==, summary->accounts_created);
  assert_sql_text (fixture, "PRAGMA integrity_check", "ok");
}

static void
test_missing_paths (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (fixture->dir, "empty", NULL);
  const char *paths[] = { empty, NULL };
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error, "no-such-folder", NULL);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  summary = sesame_store_import (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, empty));
  g_assert_null (summary);
}

static void
test_permission (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* A teacher may not import. */
  g_assert_true (sesame_store_set_operator (fixture->store, "thierry.blanc", &error));
  g_assert_no_error (error);
  before = store_snapshot (fixture);
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error, "college-later", NULL);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_null (summary);
  g_clear_error (&error);
  after = store_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
  assert_sql_int (fixture, "SELECT count(*) FROM imports", 1);

  /* The head of establishment (function DIR) may. */
  g_assert_true (sesame_store_set_operator (fixture->store, "martine.rochat", &error));
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error, "college-later", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->persons_departed, ==, 3);
  assert_sql_text (fixture, "SELECT operator FROM audit WHERE action = 'import' ORDER BY at DESC, rowid DESC LIMIT 1",
                   "martine.rochat");
}

static void
test_faulty_characters (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error,
                         "quirks/charref.xml", "quirks/control.xml", "quirks/entities.xml",
                         "quirks/latin1-undeclared.xml", NULL);
  g_assert_no_error (error);
  /* No record lost: Q1, Q2, Q3, whatever each file got wrong. */
  g_assert_cmpuint (summary->pupils, ==, 12);
  g_assert_cmpuint (summary->persons_created, ==, 3);
  g_assert_true (has_warning (summary, "charref.xml, line 37", "&#7;"));
  g_assert_true (has_warning (summary, "control.xml, line ", "0x07"));
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE key IN ('Q1', 'Q2', 'Q3')", 3);
  assert_sql_text (fixture, "SELECT code FROM memberships WHERE person_key = 'Q3'", "6 A");
}

static void
test_missing_structure (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  /* Pupils whose establishment is in no file and not in the store. */
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error, "quirks/control.xml", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->persons_created, ==, 3);
  /* One warning for the structure, not one per pupil; the links are kept. */
  g_assert_true (has_warning (summary, "control.xml, line ", "structure 61001"));
  g_assert_true (has_warning (summary, "61001", "6 links"));
  assert_sql_int (fixture, "SELECT count(*) FROM memberships WHERE structure = '61001'", 3);
  /* Their accounts exist, but no establishment's file can list them. */
  g_assert_cmpuint (summary->accounts_created, ==, 3);
  g_assert_cmpuint (summary->identifier_files->len, ==, 0);
  g_assert_true (has_warning (summary, "3 accounts", "no identifier file"));
}

static void
test_samples (Fixture       *fixture,
              gconstpointer  data)
{
  const char *dir = g_getenv ("SESAME_SAMPLES_DIR");
  const char *paths[] = { dir, NULL };
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(SesameImportSummary) again = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The folder of real AAF samples is not here");
      return;
    }

  summary = sesame_store_import (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->files, >, 0);
  g_assert_cmpuint (summary->persons_created, ==, summary->pupils + summary->parents + summary->staff);
  g_assert_cmpuint (summary->accounts_created, ==, summary->persons_created);
  assert_sql_int (fixture, "SELECT count(*) FROM persons", summary->persons_created);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE last_name = '' OR first_name = ''", 0);
  assert_sql_int (fixture, "SELECT count(*) FROM establishments", summary->establishments);

  again = sesame_store_import (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->persons_created + again->persons_updated + again->persons_departed, ==, 0);
}

typedef struct
{
  GMainContext        *context;
  SesameImportSummary *summary;
  GError              *error;
  gboolean             done;
  guint                reports;
  guint                reports_after_done;
  guint                destroyed;
  gboolean             wrong_thread;
} AsyncState;

static void
async_progress (guint64  records,
                guint64  bytes_read,
                guint64  bytes_total,
                gpointer user_data)
{
  AsyncState *state = user_data;

  state->reports++;
  if (state->done)
    state->reports_after_done++;
  if (!g_main_context_is_owner (state->context))
    state->wrong_thread = TRUE;
  g_assert_cmpuint (bytes_read, <=, bytes_total);
}

static void
async_destroy (gpointer user_data)
{
  AsyncState *state = user_data;

  state->destroyed++;
  if (!g_main_context_is_owner (state->context))
    state->wrong_thread = TRUE;
}

static void
async_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncState *state = user_data;

  state->summary = sesame_store_import_finish (SESAME_STORE (object), result, &state->error);
  state->done = TRUE;
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *college = aaf_path ("college");
  const char *paths[] = { college, NULL };
  AsyncState state = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  state.context = g_main_context_default ();
  sesame_store_import_async (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE,
                             async_progress, &state, async_destroy, NULL, async_done, &state);
  while (!state.done || state.destroyed == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (state.error);
  g_assert_nonnull (state.summary);
  g_assert_cmpuint (state.summary->persons_created, ==, 14);
  g_assert_cmpuint (state.destroyed, ==, 1);
  g_assert_cmpuint (state.reports_after_done, ==, 0);
  g_assert_false (state.wrong_thread);
  /* The caller's own connection sees what the import's connection wrote. */
  assert_sql_int (fixture, "SELECT count(*) FROM persons", 14);
  g_clear_pointer (&state.summary, sesame_import_summary_free);

  /* Cancelled: nothing changes. */
  memset (&state, 0, sizeof state);
  state.context = g_main_context_default ();
  g_cancellable_cancel (cancellable);
  {
    g_autofree char *later = aaf_path ("college-later");
    const char *later_paths[] = { later, NULL };

    sesame_store_import_async (fixture->store, later_paths, NULL, SESAME_IMPORT_FLAGS_NONE,
                               async_progress, &state, async_destroy, cancellable, async_done, &state);
  }
  while (!state.done || state.destroyed == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (state.error, SESAME_ERROR, SESAME_ERROR_CANCELLED);
  g_assert_null (state.summary);
  g_clear_error (&state.error);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL", 0);
  assert_sql_int (fixture, "SELECT count(*) FROM imports", 1);
}

static void
record_progress (guint64  records,
                 guint64  bytes_read,
                 guint64  bytes_total,
                 gpointer user_data)
{
  GArray *reports = user_data;

  g_assert_cmpuint (bytes_read, <=, bytes_total);
  g_array_append_val (reports, bytes_read);
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *college = aaf_path ("college");
  const char *paths[] = { college, NULL };
  g_autoptr(GArray) reports = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = sesame_store_import (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE,
                                 record_progress, reports, NULL, &error);
  g_assert_no_error (error);
  /* At least once per file, growing, and whole at the end. */
  g_assert_cmpuint (reports->len, >=, summary->files);
  for (guint i = 1; i < reports->len; i++)
    g_assert_cmpuint (g_array_index (reports, guint64, i), >=, g_array_index (reports, guint64, i - 1));
  g_assert_cmpuint (g_array_index (reports, guint64, reports->len - 1), >, 0);
}

static void
test_summary_copy (void)
{
  SesameImportSummary summary = { 0 };
  g_autoptr(SesameImportSummary) copy = NULL;
  g_autofree char *text = NULL;

  summary.files = 2;
  summary.pupils = 7;
  summary.accounts_created = 3;
  summary.warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (summary.warnings, g_strdup ("a.xml, line 3: something"));
  summary.identifier_files = g_ptr_array_new_with_free_func (g_free);
  summary.import_id = g_strdup ("id");

  copy = g_boxed_copy (SESAME_TYPE_IMPORT_SUMMARY, &summary);
  g_assert_cmpuint (copy->pupils, ==, 7);
  g_assert_cmpstr (g_ptr_array_index (copy->warnings, 0), ==, "a.xml, line 3: something");
  g_assert_true (copy->warnings != summary.warnings);
  g_assert_cmpstr (copy->import_id, ==, "id");

  text = sesame_import_summary_describe (copy);
  g_assert_nonnull (strstr (text, "2 files read"));
  g_assert_nonnull (strstr (text, "3 accounts created"));
  g_assert_nonnull (strstr (text, "1 warning"));

  g_ptr_array_unref (summary.warnings);
  g_ptr_array_unref (summary.identifier_files);
  g_free (summary.import_id);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/import/college", test_college);
  ADD ("/sesame/import/reimport-changes-nothing", test_reimport_changes_nothing);
  ADD ("/sesame/import/departure-and-return", test_departure_and_return);
  ADD ("/sesame/import/departure-scope", test_departure_scope);
  ADD ("/sesame/import/delta", test_delta);
  ADD ("/sesame/import/academy-chunked", test_academy_chunked);
  ADD ("/sesame/import/establishment-filter", test_establishment_filter);
  ADD ("/sesame/import/dry-run", test_dry_run);
  ADD ("/sesame/import/refused-file-rolls-back", test_refused_file_rolls_back);
  ADD ("/sesame/import/bulk", test_bulk);
  ADD ("/sesame/import/bulk-checkpoint", test_bulk_checkpoint);
  ADD ("/sesame/import/missing-paths", test_missing_paths);
  ADD ("/sesame/import/permission", test_permission);
  ADD ("/sesame/import/faulty-characters", test_faulty_characters);
  ADD ("/sesame/import/missing-structure", test_missing_structure);
  ADD ("/sesame/import/samples", test_samples);
  ADD ("/sesame/import/async", test_async);
  ADD ("/sesame/import/progress", test_progress);
#undef ADD
  g_test_add_func ("/sesame/import/summary", test_summary_copy);

  return g_test_run ();
}
