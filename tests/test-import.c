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

#include "sesame-credentials-private.h"
#include "sesame.h"
#include "sesame-accounts-private.h"
#include "sesame-import-private.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

/* 2024-09-02 08:00 UTC */
#define NOW G_GINT64_CONSTANT (1725264000)

typedef SesameTestFixture Fixture;

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

  return sesame_import_run (fixture->store, (const char * const *) paths->pdata, establishments,
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

/* Imports a fixture whose departures someone confirmed. */
static SesameImportSummary *
import_accepting (Fixture    *fixture,
                  const char *name)
{
  g_autoptr(GError) error = NULL;
  SesameImportSummary *summary = import_full (fixture, SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES, NULL, &error,
                                              name, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

/* Files written by a test, in the fixture's folder. */

/* One AAF record: operation ("addRequest"…), category ("Eleve"…), key,
 * then attribute names and values, NULL-terminated; a value with ';' is
 * several values. */
static char *
aaf_record (const char *operation,
            const char *category,
            const char *key,
            ...)
{
  GString *text = g_string_new (NULL);
  const char *category_name = g_str_equal (category, "EtabEducNat") ? "categorieStructure" : "categoriePersonne";
  const char *name;
  va_list args;

  g_string_append_printf (text,
                          "<%s>\n<operationalAttributes><attr name=\"%s\"><value>%s</value></attr>"
                          "</operationalAttributes>\n<identifier><id>%s</id></identifier>\n<%s>\n",
                          operation, category_name, category, key,
                          g_str_equal (operation, "modifyRequest") ? "modifications" : "attributes");
  va_start (args, key);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      g_auto(GStrv) values = g_strsplit (va_arg (args, const char *), ";", -1);

      if (g_str_equal (operation, "modifyRequest"))
        g_string_append_printf (text, "<modification name=\"%s\" operation=\"replace\">", name);
      else
        g_string_append_printf (text, "<attr name=\"%s\">", name);
      for (guint i = 0; values[i] != NULL; i++)
        g_string_append_printf (text, "<value>%s</value>", values[i]);
      g_string_append (text, g_str_equal (operation, "modifyRequest") ? "</modification>\n" : "</attr>\n");
    }
  va_end (args);
  g_string_append_printf (text, "</%s>\n</%s>\n",
                          g_str_equal (operation, "modifyRequest") ? "modifications" : "attributes", operation);
  return g_string_free (text, FALSE);
}

static char *
establishment_record (const char *jointure,
                      const char *uai,
                      const char *name)
{
  return aaf_record ("addRequest", "EtabEducNat", jointure, "ENTStructureJointure", jointure,
                     "ENTStructureUAI", uai, "ENTStructureNomCourant", name, NULL);
}

static char *
pupil_record (const char *key,
              const char *first,
              const char *last,
              const char *structure,
              const char *parents)
{
  g_autofree char *classes = g_strdup_printf ("%s$6 A", structure);

  return aaf_record ("addRequest", "Eleve", key, "ENTPersonJointure", key, "sn", last, "givenName", first,
                     "ENTPersonStructRattach", structure, "ENTEleveClasses", classes,
                     "ENTElevePersRelEleve", parents ? parents : "", NULL);
}

static char *
parent_record (const char *key,
               const char *first,
               const char *last)
{
  return aaf_record ("addRequest", "PersRelEleve", key, "ENTPersonJointure", key, "sn", last, "givenName", first,
                     NULL);
}

static char *
staff_record (const char *key,
              const char *first,
              const char *last,
              const char *structure,
              const char *functions)
{
  return aaf_record ("addRequest", "PersEducNat", key, "ENTPersonJointure", key, "sn", last, "givenName", first,
                     "ENTPersonStructRattach", structure, "ENTPersonFonctions", functions, NULL);
}

/* Writes dir/name with the records given, NULL-terminated (freed). */
static void
write_aaf (const char *dir,
           const char *name,
           ...)
{
  g_autoptr(GString) text = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *record;
  va_list args;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  va_start (args, name);
  while ((record = va_arg (args, char *)) != NULL)
    {
      g_string_append (text, record);
      g_free (record);
    }
  va_end (args);
  g_string_append (text, "</ficAlimMENESR>\n");
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
}

/* Imports files or folders of the fixture's own folder. */
static SesameImportSummary *
import_written (Fixture            *fixture,
                SesameImportFlags   flags,
                GError            **error,
                const char         *first,
                ...)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  va_list args;

  va_start (args, first);
  for (name = first; name != NULL; name = va_arg (args, const char *))
    g_ptr_array_add (paths, g_build_filename (fixture->dir, name, NULL));
  va_end (args);
  g_ptr_array_add (paths, NULL);

  return sesame_import_run (fixture->store, (const char * const *) paths->pdata, NULL, flags,
                            NULL, NULL, NULL, error);
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
  results = sesame_search_run (fixture->store, query, NULL, &error);
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
  files = sesame_identifier_files_list (fixture->store, &error);
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
  later = import_accepting (fixture, "college-later");
  g_assert_cmpuint (later->files, ==, 3);
  g_assert_cmpuint (later->persons_created, ==, 0);
  /* Noé changed class. */
  g_assert_cmpuint (later->persons_updated, ==, 1);
  /* Chloé left, her only parent with her, and the librarian. */
  g_assert_cmpuint (later->persons_departed, ==, 3);
  assert_sql_text (fixture, "SELECT group_concat(key, ',') FROM (SELECT key FROM persons WHERE left_at IS NOT NULL ORDER BY key)",
                   "E303,R204,S103");
  assert_sql_int (fixture, "SELECT left_at FROM persons WHERE key = 'E303'", NOW + 30 * 86400);
  /* Marked, never deleted; their accounts disabled, their first passwords
   * kept for their return but refused meanwhile. */
  assert_sql_int (fixture, "SELECT count(*) FROM persons", 14);
  assert_sql_int (fixture, "SELECT count(*) FROM accounts WHERE disabled_at IS NOT NULL", 3);
  password = _sesame_credentials_dup_first_password (fixture->store, "E303");
  g_assert_nonnull (password);
  g_assert_cmpint (sesame_passwords_authenticate (fixture->store, "chloe.perrin", password, NULL), ==, SESAME_AUTH_REFUSED);
  chloe = sesame_accounts_find_person (fixture->store, "E303", &error);
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
  chloe = sesame_accounts_find_person (fixture->store, "E303", &error);
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
  later = import_accepting (fixture, "college-later");
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
  files = sesame_identifier_files_list (fixture->store, &error);
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
  sesame_test_fixture_tear_down (&other, NULL);
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

  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_ENT_NAME, "ENT du collège", &error));
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
  summary = sesame_import_run (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
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
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "thierry.blanc", &error));
  g_assert_no_error (error);
  before = store_snapshot (fixture);
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error, "college-later", NULL);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_assert_null (summary);
  g_clear_error (&error);
  after = store_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
  assert_sql_int (fixture, "SELECT count(*) FROM imports", 1);

  /* The head of establishment (function DIR) may, for her establishment:
   * her import keeps its records only, as --establishment would. The
   * parent whose only child left with it leaves too: no establishment
   * holds them any more. */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "martine.rochat", &error));
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES, NULL, &error, "college-later", NULL);
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

  summary = sesame_import_run (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->files, >, 0);
  g_assert_cmpuint (summary->persons_created, ==, summary->pupils + summary->parents + summary->staff);
  g_assert_cmpuint (summary->accounts_created, ==, summary->persons_created);
  assert_sql_int (fixture, "SELECT count(*) FROM persons", summary->persons_created);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE last_name = '' OR first_name = ''", 0);
  assert_sql_int (fixture, "SELECT count(*) FROM establishments", summary->establishments);

  again = sesame_import_run (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
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

  state->summary = sesame_import_run_finish (SESAME_STORE (object), result, &state->error);
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
  sesame_import_run_async (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE,
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

    sesame_import_run_async (fixture->store, later_paths, NULL, SESAME_IMPORT_FLAGS_NONE,
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

  summary = sesame_import_run (fixture->store, paths, NULL, SESAME_IMPORT_FLAGS_NONE,
                               record_progress, reports, NULL, &error);
  g_assert_no_error (error);
  /* At least once per file, growing, and whole at the end. */
  g_assert_cmpuint (reports->len, >=, summary->files);
  for (guint i = 1; i < reports->len; i++)
    g_assert_cmpuint (g_array_index (reports, guint64, i), >=, g_array_index (reports, guint64, i - 1));
  g_assert_cmpuint (g_array_index (reports, guint64, reports->len - 1), >, 0);
}

/* Ten pupils of the collège, four per chunk, in the chunks listed (ending
 * with -1), leaving out the pupil numbered @missing (or -1). */
static void
write_pupil_chunks (Fixture    *fixture,
                    const char *folder,
                    const char *date,
                    const int  *chunks,
                    int         missing)
{
  g_autofree char *dir = g_build_filename (fixture->dir, folder, NULL);
  g_autofree char *establishments = g_strdup_printf ("ENT_0741234A_Complet_%s_EtabEducNat_0000.xml", date);

  write_aaf (dir, establishments, establishment_record ("61001", "0741234A", "COLLEGE DU MONT BLANC"), NULL);
  for (guint c = 0; chunks[c] >= 0; c++)
    {
      g_autoptr(GString) text = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n");
      g_autofree char *name = g_strdup_printf ("ENT_0741234A_Complet_%s_Eleve_%04d.xml", date, chunks[c]);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;

      for (int i = chunks[c] * 4; i < MIN (chunks[c] * 4 + 4, 10); i++)
        {
          g_autofree char *key = g_strdup_printf ("E%d", 1000 + i);
          g_autofree char *first = g_strdup_printf ("Prenom%d", i);
          g_autofree char *record = NULL;

          if (i == missing)
            continue;
          record = pupil_record (key, first, "ELEVE", "61001", NULL);
          g_string_append (text, record);
        }
      g_string_append (text, "</ficAlimMENESR>\n");
      g_file_set_contents (path, text->str, text->len, &error);
      g_assert_no_error (error);
    }
}

static void
test_chunks_incomplete (Fixture       *fixture,
                        gconstpointer  data)
{
  static const int whole[] = { 0, 1, 2, -1 };
  static const int cut[] = { 0, 1, -1 };
  static const int gap[] = { 0, 2, -1 };
  g_autoptr(SesameImportSummary) first = NULL;
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  write_pupil_chunks (fixture, "whole", "20240901", whole, -1);
  first = import_written (fixture, SESAME_IMPORT_FLAGS_NONE, &error, "whole", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (first->pupils, ==, 10);
  g_assert_cmpuint (first->incomplete_sets->len, ==, 0);

  /* The last chunk is missing: nothing in the files says so, but the
   * previous complete export had three. */
  write_pupil_chunks (fixture, "cut", "20241001", cut, -1);
  summary = import_written (fixture, SESAME_IMPORT_FLAGS_NONE, &error, "cut", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->pupils, ==, 8);
  g_assert_cmpuint (summary->persons_departed, ==, 0);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL", 0);
  assert_sql_int (fixture, "SELECT count(*) FROM accounts WHERE disabled_at IS NOT NULL", 0);
  g_assert_cmpuint (summary->incomplete_sets->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (summary->incomplete_sets, 0), ==, "ENT_0741234A_Complet_20241001_Eleve");
  g_assert_true (has_warning (summary, "ENT_0741234A_Complet_20241001_Eleve_0000.xml: ", "previous one had 3"));
  description = sesame_import_summary_describe (summary);
  g_assert_nonnull (strstr (description, "Nobody was marked as having left from ENT_0741234A_Complet_20241001_Eleve"));
  g_clear_pointer (&summary, sesame_import_summary_free);
  g_clear_pointer (&description, g_free);

  /* A gap in the numbers. */
  write_pupil_chunks (fixture, "gap", "20241101", gap, -1);
  summary = import_written (fixture, SESAME_IMPORT_FLAGS_NONE, &error, "gap", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->persons_departed, ==, 0);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL", 0);
  g_assert_cmpuint (summary->incomplete_sets->len, ==, 1);
  g_assert_true (has_warning (summary, "ENT_0741234A_Complet_20241101_Eleve_0000.xml: ", "chunks 0001"));
  g_clear_pointer (&summary, sesame_import_summary_free);

  /* The whole set again, one pupil fewer: that one left. */
  write_pupil_chunks (fixture, "later", "20241201", whole, 9);
  summary = import_written (fixture, SESAME_IMPORT_FLAGS_NONE, &error, "later", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->incomplete_sets->len, ==, 0);
  g_assert_cmpuint (summary->persons_departed, ==, 1);
  assert_sql_text (fixture, "SELECT key FROM persons WHERE left_at IS NOT NULL", "E1009");
}

static void
test_departure_threshold (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = store_snapshot (fixture);
  g_autofree char *after = NULL;

  /* Three of the collège's fourteen people leave (21 %): the import stops
   * and says who, and nothing changes. */
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error, "college-later", NULL);
  g_assert_error (error, SESAME_IMPORT_ERROR, SESAME_IMPORT_ERROR_DEPARTURES);
  g_assert_null (summary);
  g_assert_nonnull (strstr (error->message, "COLLEGE DU MONT BLANC (0741234A): 3 people of 14"));
  g_assert_nonnull (strstr (error->message, "10 %"));
  g_clear_error (&error);
  after = store_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
  assert_sql_int (fixture, "SELECT count(*) FROM imports", 1);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL", 0);

  /* A dry run tells it without stopping. */
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_DRY_RUN, NULL, &error, "college-later", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->persons_departed, ==, 3);
  g_assert_true (has_warning (summary, "3 people of 14 would be marked as having left", "confirmation"));
  g_clear_pointer (&summary, sesame_import_summary_free);

  /* The threshold is a setting of the store. */
  g_assert_false (sesame_store_settings_set (fixture->store, SESAME_SETTING_DEPARTURE_THRESHOLD, "150", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (sesame_store_settings_set (fixture->store, SESAME_SETTING_DEPARTURE_THRESHOLD, "25", &error));
  g_assert_no_error (error);
  summary = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error, "college-later", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->persons_departed, ==, 3);
}

static void
test_departure_accepted (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) summary = NULL;

  summary = import_accepting (fixture, "college-later");
  g_assert_cmpuint (summary->persons_departed, ==, 3);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL", 3);
}

/* The college's files in @folder, its pupils' file cut after @keep pupils. */
static void
write_truncated_college (Fixture    *fixture,
                         const char *folder,
                         guint       keep)
{
  g_autofree char *source = aaf_path ("college");
  g_autofree char *dir = g_build_filename (fixture->dir, folder, NULL);
  g_autoptr(GDir) listing = g_dir_open (source, 0, NULL);
  const char *name;

  g_assert_nonnull (listing);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *from = g_build_filename (source, name, NULL);
      g_autofree char *to = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      g_file_get_contents (from, &text, &length, &error);
      g_assert_no_error (error);
      if (strstr (name, "_Eleve_") != NULL)
        {
          char *cut = text;

          for (guint i = 0; i <= keep; i++)
            {
              cut = strstr (cut + 1, "<addRequest>");
              g_assert_nonnull (cut);
            }
          strcpy (cut, "</ficAlimMENESR>\n");
          length = strlen (text);
        }
      g_file_set_contents (to, text, length, &error);
      g_assert_no_error (error);
    }
}

static void
test_departure_keeps_password (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) cut = NULL;
  g_autoptr(SesameImportSummary) intact = NULL;
  g_autoptr(SesamePerson) chloe = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = _sesame_credentials_dup_first_password (fixture->store, "E303");

  g_assert_nonnull (password);

  /* A complete export cut after three pupils, its departures accepted:
   * Chloé and Lucas leave, their accounts are disabled. */
  write_truncated_college (fixture, "cut", 3);
  sesame_store_set_now (fixture->store, NOW + 86400);
  cut = import_written (fixture, SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES, &error, "cut", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (cut->persons_departed, ==, 2);
  chloe = sesame_accounts_find_person (fixture->store, "E303", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_person_get_state (chloe), ==, SESAME_ACCOUNT_STATE_DISABLED);
  g_clear_object (&chloe);
  g_assert_cmpint (sesame_passwords_authenticate (fixture->store, "chloe.perrin", password, NULL), ==, SESAME_AUTH_REFUSED);

  /* The intact export again: back as she was, same login, same first
   * password, still waiting for her first sign-in. */
  sesame_store_set_now (fixture->store, NOW + 2 * 86400);
  intact = import_ok (fixture, "college");
  g_assert_cmpuint (intact->accounts_created, ==, 0);
  chloe = sesame_accounts_find_person (fixture->store, "E303", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_person_get_state (chloe), ==, SESAME_ACCOUNT_STATE_PENDING);
  g_assert_cmpstr (sesame_person_get_login (chloe), ==, "chloe.perrin");
  g_assert_cmpint (sesame_passwords_authenticate (fixture->store, "chloe.perrin", password, &error), ==,
                   SESAME_AUTH_MUST_CHANGE);
  g_assert_no_error (error);
}

/* Two establishments, each with its own complete export. */
static void
write_two_schools (Fixture    *fixture,
                   const char *folder,
                   const char *date,
                   gboolean    b_only,
                   gboolean    eb1_left)
{
  g_autofree char *dir = g_build_filename (fixture->dir, folder, NULL);
  g_autofree char *a = g_strdup_printf ("ENT_0741234A_Complet_%s", date);
  g_autofree char *b = g_strdup_printf ("ENT_0745678B_Complet_%s", date);
  g_autofree char *name = NULL;

#define FILE_NAME(set, kind) (g_free (name), name = g_strdup_printf ("%s_%s_0000.xml", set, kind))
  if (!b_only)
    {
      write_aaf (dir, FILE_NAME (a, "EtabEducNat"), establishment_record ("61001", "0741234A", "COLLEGE A"), NULL);
      write_aaf (dir, FILE_NAME (a, "Eleve"),
                 pupil_record ("EA1", "Alice", "ALPHA", "61001", "P$10$1$1$1$1"),
                 pupil_record ("EA2", "Bruno", "ALPHA", "61001", "R2$20$1$1$1$1"),
                 pupil_record ("XA", "Xavier", "ALPHA", "61001", NULL), NULL);
      /* P0 is named by no pupil. */
      write_aaf (dir, FILE_NAME (a, "PersRelEleve"),
                 parent_record ("P", "Pauline", "PARENT"), parent_record ("R2", "Rémi", "ALPHA"),
                 parent_record ("P0", "Paul", "ORPHELIN"), NULL);
      write_aaf (dir, FILE_NAME (a, "PersEducNat"),
                 staff_record ("SA1", "Sarah", "ALPHA", "61001", "61001$ENS$ENSEIGNEMENT$L0100$LETTRES"),
                 staff_record ("SA2", "Simon", "ALPHA", "61001", "61001$DOC$DOCUMENTATION$$"),
                 staff_record ("T", "Thomas", "DEUXECOLES", "61001",
                               "61001$ENS$ENSEIGNEMENT$L1300$MATHS;61002$ENS$ENSEIGNEMENT$L1300$MATHS"), NULL);
    }
  write_aaf (dir, FILE_NAME (b, "EtabEducNat"), establishment_record ("61002", "0745678B", "COLLEGE B"), NULL);
  /* Xavier is attached to A and has a group in B; Thomas teaches in both. */
  if (eb1_left)
    write_aaf (dir, FILE_NAME (b, "Eleve"),
               pupil_record ("EB2", "Berthe", "BETA", "61002", "R3$10$1$1$1$1"),
               pupil_record ("XA", "Xavier", "ALPHA", "61001", NULL), NULL);
  else
    write_aaf (dir, FILE_NAME (b, "Eleve"),
               pupil_record ("EB1", "Basile", "BETA", "61002", "P$10$1$1$1$1"),
               pupil_record ("EB2", "Berthe", "BETA", "61002", "R3$10$1$1$1$1"),
               pupil_record ("XA", "Xavier", "ALPHA", "61001", NULL), NULL);
  if (eb1_left)
    write_aaf (dir, FILE_NAME (b, "PersRelEleve"), parent_record ("R3", "Rose", "BETA"), NULL);
  else
    write_aaf (dir, FILE_NAME (b, "PersRelEleve"),
               parent_record ("P", "Pauline", "PARENT"), parent_record ("R3", "Rose", "BETA"), NULL);
  write_aaf (dir, FILE_NAME (b, "PersEducNat"),
             staff_record ("SB1", "Serge", "BETA", "61002", "61002$ENS$ENSEIGNEMENT$L0100$LETTRES"),
             staff_record ("T", "Thomas", "DEUXECOLES", "61001",
                           "61001$ENS$ENSEIGNEMENT$L1300$MATHS;61002$ENS$ENSEIGNEMENT$L1300$MATHS"), NULL);
#undef FILE_NAME
}

static void
test_departure_other_establishments (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = NULL;
  g_autoptr(SesameImportSummary) later = NULL;
  g_autoptr(GError) error = NULL;

  write_two_schools (fixture, "both", "20240901", FALSE, FALSE);
  first = import_written (fixture, SESAME_IMPORT_FLAGS_NONE, &error, "both", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (first->persons_created, ==, 13);
  /* Paul, whom no pupil names, is in no identifier file. */
  g_assert_cmpuint (first->warnings->len, ==, 1);
  g_assert_true (has_warning (first, "1 account", "no identifier file"));

  /* B's next complete export: Basile left B. It still lists Xavier and
   * Thomas, who are attached to A; that makes A's people no business of
   * it. Pauline keeps a child in A; Paul, in A's files only, stays. */
  write_two_schools (fixture, "b-later", "20241001", TRUE, TRUE);
  sesame_store_set_now (fixture->store, NOW + 86400);
  later = import_written (fixture, SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES, &error, "b-later", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (later->persons_departed, ==, 1);
  assert_sql_text (fixture, "SELECT group_concat(key, ',') FROM persons WHERE left_at IS NOT NULL", "EB1");
  assert_sql_int (fixture, "SELECT count(*) FROM accounts WHERE disabled_at IS NOT NULL", 1);
}

static void
test_departure_without_establishments (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college/ENT_0741234A_Complet_20240901_Eleve_0000.xml");
  g_autoptr(SesameImportSummary) later = NULL;

  g_autoptr(GError) error = NULL;

  /* Nothing tells which establishment 61001 is: the pupils' export of the
   * collège still covers the structure of the pupils it lists, and asks
   * before one of its five pupils leaves. */
  later = import_full (fixture, SESAME_IMPORT_FLAGS_NONE, NULL, &error,
                       "college-later/ENT_0741234A_Complet_20241001_Eleve_0000.xml", NULL);
  g_assert_error (error, SESAME_IMPORT_ERROR, SESAME_IMPORT_ERROR_DEPARTURES);
  g_assert_nonnull (strstr (error->message, "the structure 61001 (no known establishment): 1 person of 5"));
  later = import_accepting (fixture, "college-later/ENT_0741234A_Complet_20241001_Eleve_0000.xml");
  g_assert_cmpuint (later->persons_departed, ==, 1);
  assert_sql_text (fixture, "SELECT key FROM persons WHERE left_at IS NOT NULL", "E303");
}

static void
test_duplicate_keys (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->dir, "dup", NULL);
  g_autofree char *delta = g_build_filename (fixture->dir, "delta", NULL);
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(SesameImportSummary) again = NULL;
  g_autoptr(SesamePerson) sophie = NULL;
  g_autoptr(GError) error = NULL;

  write_aaf (dir, "ENT_0741234A_Complet_20240901_EtabEducNat_0000.xml",
             establishment_record ("61001", "0741234A", "COLLEGE DU MONT BLANC"), NULL);
  write_aaf (dir, "ENT_0741234A_Complet_20240901_PersRelEleve_0000.xml",
             parent_record ("R500", "Sophie", "ADVERSE"), NULL);
  /* Jean, then Jeanne with his key; Paul with Sophie's; Jean's key again
   * in the next chunk of the same set. */
  write_aaf (dir, "ENT_0741234A_Complet_20240901_Eleve_0000.xml",
             pupil_record ("E900", "Jean", "DUPONT", "61001", "R500$20$1$1$1$1"),
             pupil_record ("E900", "Jeanne", "DURAND", "61001", NULL),
             pupil_record ("R500", "Paul", "ADVERSE", "61001", NULL), NULL);
  write_aaf (dir, "ENT_0741234A_Complet_20240901_Eleve_0001.xml",
             pupil_record ("E900", "Jean", "DUPUIS", "61001", NULL), NULL);

  summary = import_written (fixture, SESAME_IMPORT_FLAGS_NONE, &error, "dup", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->pupils, ==, 1);
  g_assert_cmpuint (summary->parents, ==, 1);
  g_assert_cmpuint (summary->persons_created, ==, 2);
  g_assert_cmpuint (summary->accounts_created, ==, 2);
  g_assert_cmpuint (summary->warnings->len, ==, 3);
  /* Each warning names both records, file and line. */
  g_assert_true (has_warning (summary, "ENT_0741234A_Complet_20240901_Eleve_0000.xml, line 15: Jeanne DURAND (pupil) "
                                       "has the key E900, already that of Jean DUPONT (pupil) read in "
                                       "ENT_0741234A_Complet_20240901_Eleve_0000.xml, line 3", NULL));
  g_assert_true (has_warning (summary, "ENT_0741234A_Complet_20240901_Eleve_0000.xml, line 27: Paul ADVERSE (pupil) "
                                       "has the key R500, already that of Sophie ADVERSE (parent) read in "
                                       "ENT_0741234A_Complet_20240901_PersRelEleve_0000.xml, line 3", NULL));
  g_assert_true (has_warning (summary, "ENT_0741234A_Complet_20240901_Eleve_0001.xml, line 3: Jean DUPUIS (pupil) "
                                       "has the key E900", "Eleve_0000.xml, line 3"));

  /* Sophie is still a parent, with her login; the first Jean stays. */
  sophie = sesame_accounts_find_person (fixture->store, "R500", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_person_get_profile (sophie), ==, SESAME_PROFILE_PARENT);
  g_assert_cmpstr (sesame_person_get_login (sophie), ==, "sophie.adverse");
  g_clear_object (&sophie);
  assert_sql_text (fixture, "SELECT first_name || ' ' || last_name FROM persons WHERE key = 'E900'", "Jean DUPONT");
  assert_sql_int (fixture, "SELECT count(*) FROM accounts WHERE login LIKE 'paul%' OR login LIKE 'jeanne%'", 0);
  assert_sql_text (fixture, "SELECT parent_key FROM guardians WHERE pupil_key = 'E900'", "R500");

  /* A later delta gives Paul her key again: the store has her as a parent. */
  write_aaf (delta, "ENT_0741234A_Delta_20240915_Eleve_0000.xml",
             pupil_record ("R500", "Paul", "ADVERSE", "61001", NULL), NULL);
  again = import_written (fixture, SESAME_IMPORT_FLAGS_NONE, &error, "delta", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (again->persons_created + again->persons_updated + again->accounts_created, ==, 0);
  g_assert_true (has_warning (again, "Paul ADVERSE (pupil) has the key R500, already that of Sophie ADVERSE (parent) "
                                     "in the store", NULL));
  sophie = sesame_accounts_find_person (fixture->store, "R500", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_person_get_profile (sophie), ==, SESAME_PROFILE_PARENT);
  g_assert_cmpstr (sesame_person_get_field (sophie, SESAME_PERSON_FIRST_NAME), ==, "Sophie");
}

static void
test_unknown_keys (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(SesameImportSummary) first = import_ok (fixture, "college");
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autofree char *dir = g_build_filename (fixture->dir, "delta", NULL);
  g_autoptr(GError) error = NULL;

  write_aaf (dir, "ENT_0741234A_Delta_20240915_Eleve_0000.xml",
             aaf_record ("deleteRequest", "Eleve", "Z1", NULL),
             aaf_record ("modifyRequest", "Eleve", "Z2", "ENTPersonJointure", "Z2", "sn", "INCONNU",
                         "givenName", "Zoé", "ENTPersonStructRattach", "61001", NULL),
             aaf_record ("modifyRequest", "Eleve", "E300", "ENTPersonJointure", "E300", "sn", "LEFÈVRE",
                         "givenName", "Léa", NULL),
             NULL);
  summary = import_written (fixture, SESAME_IMPORT_FLAGS_NONE, &error, "delta", NULL);
  g_assert_no_error (error);

  /* Léa only is counted; nobody is created, nobody left. */
  g_assert_cmpuint (summary->pupils, ==, 1);
  g_assert_cmpuint (summary->persons_created, ==, 0);
  g_assert_cmpuint (summary->accounts_created, ==, 0);
  g_assert_cmpuint (summary->persons_departed, ==, 0);
  g_assert_cmpuint (summary->identifier_files->len, ==, 0);
  g_assert_true (has_warning (summary, "Eleve_0000.xml, line 3: a deleteRequest names the key Z1", "ignored"));
  g_assert_true (has_warning (summary, "Eleve_0000.xml, line 9: a modifyRequest for Zoé INCONNU (pupil, key Z2)",
                              "only an addRequest creates a person"));
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE key IN ('Z1', 'Z2')", 0);
  assert_sql_int (fixture, "SELECT count(*) FROM accounts WHERE person_key IN ('Z1', 'Z2')", 0);
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

/* The summary's JSON is the one `sesamectl import --json` has always
 * printed, and reads back whole; a summary from elsewhere (a server of
 * another version) with members missing or of another type reads as zero
 * or empty, never as garbage. */
static void
test_summary_json (void)
{
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(SesameImportSummary) back = NULL;
  g_autoptr(SesameImportSummary) odd = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) odd_node = NULL;
  g_autofree char *text = NULL;

  summary = g_new0 (SesameImportSummary, 1);
  summary->dry_run = TRUE;
  summary->files = 2;
  summary->establishments = 1;
  summary->subjects = 4;
  summary->pupils = 7;
  summary->parents = 9;
  summary->staff = 3;
  summary->persons_created = 5;
  summary->persons_updated = 6;
  summary->persons_departed = 8;
  summary->accounts_created = 11;
  summary->warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (summary->warnings, g_strdup ("a.xml, ligne 3 : « é »"));
  summary->identifier_files = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (summary->identifier_files, g_strdup ("f1"));
  g_ptr_array_add (summary->identifier_files, g_strdup ("f2"));
  summary->incomplete_sets = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (summary->incomplete_sets, g_strdup ("Complet_20240901"));
  summary->import_id = g_strdup ("9d1c");

  node = sesame_import_summary_to_json (summary);
  text = json_to_string (node, FALSE);
  g_assert_cmpstr (text, ==,
                   "{\"dry_run\":true,\"files\":2,\"establishments\":1,\"subjects\":4,"
                   "\"pupils\":7,\"parents\":9,\"staff\":3,\"persons_created\":5,"
                   "\"persons_updated\":6,\"persons_departed\":8,\"accounts_created\":11,"
                   "\"warnings\":[\"a.xml, ligne 3 : « é »\"],\"identifier_files\":[\"f1\",\"f2\"],"
                   "\"incomplete_sets\":[\"Complet_20240901\"],\"import_id\":\"9d1c\"}");

  back = sesame_import_summary_new_from_json (node);
  g_assert_nonnull (back);
  g_assert_true (back->dry_run);
  g_assert_cmpuint (back->files, ==, 2);
  g_assert_cmpuint (back->establishments, ==, 1);
  g_assert_cmpuint (back->subjects, ==, 4);
  g_assert_cmpuint (back->pupils, ==, 7);
  g_assert_cmpuint (back->parents, ==, 9);
  g_assert_cmpuint (back->staff, ==, 3);
  g_assert_cmpuint (back->persons_created, ==, 5);
  g_assert_cmpuint (back->persons_updated, ==, 6);
  g_assert_cmpuint (back->persons_departed, ==, 8);
  g_assert_cmpuint (back->accounts_created, ==, 11);
  g_assert_cmpuint (back->warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (back->warnings, 0), ==, "a.xml, ligne 3 : « é »");
  g_assert_cmpuint (back->identifier_files->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (back->identifier_files, 1), ==, "f2");
  g_assert_cmpuint (back->incomplete_sets->len, ==, 1);
  g_assert_cmpstr (back->import_id, ==, "9d1c");

  odd_node = json_from_string ("{\"pupils\":-4,\"parents\":\"12\",\"staff\":99999999999,"
                               "\"warnings\":\"not a list\",\"identifier_files\":[3,null,\"f\"],"
                               "\"import_id\":7}", NULL);
  g_assert_nonnull (odd_node);
  odd = sesame_import_summary_new_from_json (odd_node);
  g_assert_nonnull (odd);
  g_assert_false (odd->dry_run);
  g_assert_cmpuint (odd->pupils, ==, 0);
  g_assert_cmpuint (odd->parents, ==, 0);
  g_assert_cmpuint (odd->staff, ==, G_MAXUINT);
  g_assert_cmpuint (odd->files, ==, 0);
  g_assert_cmpuint (odd->warnings->len, ==, 0);
  g_assert_cmpuint (odd->identifier_files->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (odd->identifier_files, 2), ==, "f");
  g_assert_nonnull (odd->incomplete_sets);
  g_assert_cmpstr (odd->import_id, ==, "");
  g_clear_pointer (&text, g_free);
  text = sesame_import_summary_describe (odd);
  g_assert_nonnull (text);

  {
    g_autoptr(JsonNode) array = json_from_string ("[1, 2]", NULL);

    g_assert_null (sesame_import_summary_new_from_json (array));
  }
}

/* Records that would give the identifier file a pupil as their own
 * father, a row without its class or a parent's row without a child:
 * each is named in a warning, and the file holds no self-reference. */
static void
test_warnings_for_identifier_files (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = g_build_filename (fixture->dir, "odd", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  write_aaf (dir, "ENT_0741234A_Complet_20240901_EtabEducNat_0000.xml",
             establishment_record ("61001", "0741234A", "COLLEGE A"), NULL);
  write_aaf (dir, "ENT_0741234A_Complet_20240901_Eleve_0000.xml",
             pupil_record ("E1", "Alice", "ALPHA", "61001", "R1$10$1$1$1$1"),
             pupil_record ("E2", "Bruno", "SOIMEME", "61001", "E2$20$1$1$1$1;R1$10$1$1$1$1"),
             aaf_record ("addRequest", "Eleve", "E3", "ENTPersonJointure", "E3", "sn", "SANSCLASSE",
                         "givenName", "Chloé", "ENTPersonStructRattach", "61001",
                         "ENTElevePersRelEleve", "R1$10$1$1$1$1", NULL),
             aaf_record ("addRequest", "Eleve", "E4", "ENTPersonJointure", "E4", "sn", "",
                         "givenName", "", "ENTPersonStructRattach", "61001", "ENTEleveClasses", "61001$6 A",
                         "ENTElevePersRelEleve", "R4$10$1$1$1$1", NULL),
             NULL);
  write_aaf (dir, "ENT_0741234A_Complet_20240901_PersRelEleve_0000.xml",
             parent_record ("R1", "Rachel", "ALPHA"), parent_record ("R4", "Roger", "SANSENFANT"), NULL);

  summary = import_written (fixture, SESAME_IMPORT_FLAGS_NONE, &error, "odd", NULL);
  g_assert_no_error (error);
  g_assert_true (has_warning (summary, "E2 (Bruno SOIMEME)", "own guardian"));
  g_assert_true (has_warning (summary, "E3 (Chloé SANSCLASSE)", "no class"));
  g_assert_true (has_warning (summary, "R4 (Roger SANSENFANT)", "no child"));
  g_assert_false (has_warning (summary, "E1 (", NULL));
  g_assert_false (has_warning (summary, "R1 (", NULL));
  assert_sql_int (fixture, "SELECT count(*) FROM guardians WHERE pupil_key = parent_key", 0);

  g_assert_cmpuint (summary->identifier_files->len, ==, 1);
  bytes = sesame_identifier_files_render (fixture->store, g_ptr_array_index (summary->identifier_files, 0), &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ";", -1);

      g_assert_cmpuint (g_strv_length (cells), ==, 19);
      for (guint c = 9; c < 13; c++)
        g_assert_cmpstr (cells[c], !=, cells[1]);
    }
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, sesame_test_fixture_tear_down)
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
  ADD ("/sesame/import/chunks-incomplete", test_chunks_incomplete);
  ADD ("/sesame/import/departure-threshold", test_departure_threshold);
  ADD ("/sesame/import/departure-accepted", test_departure_accepted);
  ADD ("/sesame/import/departure-keeps-password", test_departure_keeps_password);
  ADD ("/sesame/import/departure-other-establishments", test_departure_other_establishments);
  ADD ("/sesame/import/departure-without-establishments", test_departure_without_establishments);
  ADD ("/sesame/import/duplicate-keys", test_duplicate_keys);
  ADD ("/sesame/import/unknown-keys", test_unknown_keys);
  ADD ("/sesame/import/warnings-for-identifier-files", test_warnings_for_identifier_files);
#undef ADD
  g_test_add_func ("/sesame/import/summary", test_summary_copy);
  g_test_add_func ("/sesame/import/summary-json", test_summary_json);

  return g_test_run ();
}
