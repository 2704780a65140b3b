/* test-import-input.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What an import does with input that is broken, hostile or unusual, through
 * the core and through sesamectl: compound values with too few or too many
 * parts, files that go on after their root element, files in UTF-16 or that
 * are not XML at all, and files made to exhaust memory. An import applies
 * whole or not at all: a refused file leaves the store as it was.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-test-ctl.h"
#include "sesame-test-util.h"

/* 2024-09-02 08:00 UTC */
#define NOW G_GINT64_CONSTANT (1725264000)

/* What any input may cost an import, at most. */
#define PEAK_RSS_LIMIT_MB 200

/* AddressSanitizer keeps freed memory in quarantine and maps shadow memory
 * beside every allocation: under it, the bound is loosened to three times
 * the limit, which still tells a bounded import from one that grows with
 * its file (1.6 GB on these files before they were bounded). */
static gint64
peak_rss_limit_kb (void)
{
#ifdef SESAME_TEST_ASAN
  return 3 * PEAK_RSS_LIMIT_MB * 1024;
#else
  return PEAK_RSS_LIMIT_MB * 1024;
#endif
}

typedef struct
{
  char        *dir;
  char        *aaf;         /* where the tests write their files */
  char        *store_path;
  SesameStore *store;       /* NULL while sesamectl works on it */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = sesame_test_make_tmpdir ();
  fixture->aaf = g_build_filename (fixture->dir, "aaf", NULL);
  g_assert_cmpint (g_mkdir (fixture->aaf, 0700), ==, 0);
  fixture->store_path = g_build_filename (fixture->dir, "store.db", NULL);
}

static void
close_store (Fixture *fixture)
{
  if (fixture->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->store));
}

static SesameStore *
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  if (fixture->store == NULL)
    {
      fixture->store = sesame_store_open (fixture->store_path, &error);
      g_assert_no_error (error);
      sesame_store_set_now (fixture->store, NOW);
    }
  return fixture->store;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_store (fixture);
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->aaf);
  g_free (fixture->store_path);
}

/* Writing AAF files */

static const char *
category_attribute (const char *category)
{
  if (g_str_equal (category, "EtabEducNat"))
    return "categorieStructure";
  if (g_str_equal (category, "MatEducNat"))
    return "categorieMatiere";
  return "categoriePersonne";
}

/* Appends an addRequest: attribute names and values, NULL-terminated;
 * "||" separates the values of one attribute. */
static void
add_record (GString    *xml,
            const char *category,
            const char *id,
            ...)
{
  const char *name;
  va_list args;

  g_string_append_printf (xml,
                          "<addRequest>\n"
                          "<operationalAttributes><attr name=\"%s\"><value>%s</value></attr></operationalAttributes>\n"
                          "<identifier><id>%s</id></identifier>\n"
                          "<attributes>\n",
                          category_attribute (category), category, id);
  va_start (args, id);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      g_auto(GStrv) values = g_strsplit (value, "||", -1);

      g_string_append_printf (xml, "<attr name=\"%s\">", name);
      for (guint i = 0; values[i] != NULL; i++)
        g_string_append_printf (xml, "<value>%s</value>", values[i]);
      g_string_append (xml, "</attr>\n");
    }
  va_end (args);
  g_string_append (xml, "</attributes>\n</addRequest>\n");
}

#define AAF_HEAD \
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
  "<!DOCTYPE ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\">\n" \
  "<ficAlimMENESR>\n"
#define AAF_TAIL "</ficAlimMENESR>\n"

/* Writes an AAF document of these records under the tests' folder. */
static char *
write_aaf (Fixture    *fixture,
           const char *name,
           const char *records)
{
  g_autofree char *text = g_strconcat (AAF_HEAD, records, AAF_TAIL, NULL);
  char *path = g_build_filename (fixture->aaf, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static char *
write_bytes (Fixture    *fixture,
             const char *name,
             const void *data,
             gsize       len)
{
  char *path = g_build_filename (fixture->aaf, name, NULL);

  g_assert_true (g_file_set_contents (path, data, len, NULL));
  return path;
}

#define ETAB_FILE   "ENT_0741234A_Complet_20240901_EtabEducNat_0000.xml"
#define PARENT_FILE "ENT_0741234A_Complet_20240901_PersRelEleve_0000.xml"
#define STAFF_FILE  "ENT_0741234A_Complet_20240901_PersEducNat_0000.xml"
#define PUPIL_FILE  "ENT_0741234A_Complet_20240901_Eleve_0000.xml"

/* The establishment S1 (0741234A) and the parents R1 to R4. */
static void
write_school (Fixture *fixture)
{
  g_autoptr(GString) etab = g_string_new (NULL);
  g_autoptr(GString) parents = g_string_new (NULL);
  g_autofree char *etab_path = NULL;
  g_autofree char *parents_path = NULL;

  add_record (etab, "EtabEducNat", "S1",
              "ENTStructureJointure", "S1", "ENTStructureUAI", "0741234A",
              "ENTStructureNomCourant", "COLLEGE DES ESSAIS", NULL);
  etab_path = write_aaf (fixture, ETAB_FILE, etab->str);

  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("R%u", i);
      g_autofree char *first = g_strdup_printf ("Parent%u", i);

      add_record (parents, "PersRelEleve", id, "ENTPersonJointure", id, "sn", "MARTIN", "givenName", first, NULL);
    }
  parents_path = write_aaf (fixture, PARENT_FILE, parents->str);
}

/* Importing */

static SesameImportSummary *
import_folder (Fixture  *fixture,
               GError  **error)
{
  const char *paths[] = { fixture->aaf, NULL };

  return sesame_import_run (open_store (fixture), paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, error);
}

static SesameImportSummary *
import_folder_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  SesameImportSummary *summary = import_folder (fixture, &error);

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

  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (open_store (fixture)), sql, -1, &stmt, NULL), ==, SQLITE_OK);
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

  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (open_store (fixture)), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
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

/* Everything an import writes, as one text: equal texts, equal stores. */
static char *
store_snapshot (Fixture *fixture)
{
  return sql_text (fixture,
                   "SELECT (SELECT IFNULL (group_concat(key || kind || profile || last_name || first_name || structure"
                   "  || address || is_head || IFNULL (left_at, '') || IFNULL (deleted_at, ''), '|'), '') FROM persons)"
                   " || (SELECT IFNULL (group_concat(person_key || structure || kind || code || IFNULL (deleted_at, ''), '|'), '') FROM memberships)"
                   " || (SELECT IFNULL (group_concat(pupil_key || parent_key || relationship || IFNULL (deleted_at, ''), '|'), '') FROM guardians)"
                   " || (SELECT IFNULL (group_concat(person_key || structure || code || IFNULL (deleted_at, ''), '|'), '') FROM functions)"
                   " || (SELECT IFNULL (group_concat(person_key || kind || code || IFNULL (deleted_at, ''), '|'), '') FROM teachings)"
                   " || (SELECT IFNULL (group_concat(person_key || login || IFNULL (disabled_at, ''), '|'), '') FROM accounts)"
                   " || '/' || (SELECT count(*) FROM credentials) || '/' || (SELECT count(*) FROM identifier_files)"
                   " || '/' || (SELECT count(*) FROM imports) || '/' || (SELECT count(*) FROM audit)");
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
count_warnings (const SesameImportSummary *summary,
                const char                *fragment)
{
  guint n = 0;

  for (guint i = 0; i < summary->warnings->len; i++)
    if (strstr (g_ptr_array_index (summary->warnings, i), fragment) != NULL)
      n++;
  return n;
}

/* sesamectl */

typedef SesameTestRun Run;

/* Runs sesamectl --store STORE ARGS… as a child of its own, so that its
 * peak memory is its own. */
static void
run_ctl (Fixture    *fixture,
         Run        *run,
         ...)
{
  SesameTestCtl ctl = { .store = fixture->store_path, .measure_memory = TRUE };
  va_list ap;

  /* sesamectl is the only one working on the store. */
  close_store (fixture);

  va_start (ap, run);
  sesame_test_ctl_run_va (&ctl, run, ap);
  va_end (ap);
}

/* Compound values: too few parts, none, too many */

/* ENTPersonFonctions (structure$code$label$discipline$label): "S1$DIR"
 * used to crash the import. */
static void
test_split_functions (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GString) staff = g_string_new (NULL);
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autofree char *path = NULL;

  write_school (fixture);
  add_record (staff, "PersEducNat", "T1", "ENTPersonJointure", "T1", "sn", "ROCHE", "givenName", "Hélène",
              "ENTPersonStructRattach", "S1", "ENTPersonFonctions", "S1$DIR", NULL);
  /* No structure of her own: her first function's. */
  add_record (staff, "PersEducNat", "T2", "ENTPersonJointure", "T2", "sn", "BERNARD", "givenName", "Luc",
              "ENTPersonFonctions", "S1$ENS", NULL);
  add_record (staff, "PersEducNat", "T3", "ENTPersonJointure", "T3", "sn", "GARNIER", "givenName", "Sophie",
              "ENTPersonStructRattach", "S1", "ENTPersonFonctions", "S1||$EDU||", NULL);
  add_record (staff, "PersEducNat", "T4", "ENTPersonJointure", "T4", "sn", "FAURE", "givenName", "Marc",
              "ENTPersonStructRattach", "S1", "ENTPersonFonctions", "$||", NULL);
  add_record (staff, "PersEducNat", "T5", "ENTPersonJointure", "T5", "sn", "DURAND", "givenName", "Anne",
              "ENTPersonStructRattach", "S1",
              "ENTPersonFonctions", "S1$ENS$ENSEIGNEMENT$L1300$MATHEMATIQUES$EN TROP", NULL);
  path = write_aaf (fixture, STAFF_FILE, staff->str);

  summary = import_folder_ok (fixture);
  g_assert_cmpuint (summary->staff, ==, 5);

  /* Too short but usable: kept. */
  assert_sql_text (fixture, "SELECT code FROM functions WHERE person_key = 'T1'", "DIR");
  assert_sql_int (fixture, "SELECT is_head FROM persons WHERE key = 'T1'", 1);
  assert_sql_text (fixture, "SELECT structure FROM persons WHERE key = 'T2'", "S1");
  assert_sql_int (fixture, "SELECT profile FROM persons WHERE key = 'T2'", SESAME_PROFILE_ENSEIGNANT);
  g_assert_false (has_warning (summary, "T1", "ENTPersonFonctions"));
  g_assert_false (has_warning (summary, "T2", "ENTPersonFonctions"));

  /* Without a structure or a code: left out, with a warning naming the
   * record and the line. */
  assert_sql_int (fixture, "SELECT count(*) FROM functions WHERE person_key IN ('T3', 'T4')", 0);
  g_assert_true (has_warning (summary, STAFF_FILE ", line ", "“S1” of ENTPersonFonctions in the record T3"));
  g_assert_true (has_warning (summary, STAFF_FILE ", line ", "“$EDU” of ENTPersonFonctions in the record T3"));
  g_assert_true (has_warning (summary, "“$” of ENTPersonFonctions in the record T4", NULL));
  /* Empty values are nothing to say. */
  g_assert_cmpuint (count_warnings (summary, "ENTPersonFonctions"), ==, 4);

  /* Too many parts: the extra one is ignored, with a warning. */
  assert_sql_text (fixture, "SELECT discipline_label FROM functions WHERE person_key = 'T5'", "MATHEMATIQUES");
  assert_sql_int (fixture, "SELECT profile FROM persons WHERE key = 'T5'", SESAME_PROFILE_ENSEIGNANT);
  g_assert_true (has_warning (summary, "ENTPersonFonctions in the record T5", "more parts"));
}

/* ENTElevePersRelEleve (parent$relationship$financial$legal$contact$payment). */
static void
test_split_guardians (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GString) pupils = g_string_new (NULL);
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autofree char *path = NULL;

  write_school (fixture);
  add_record (pupils, "Eleve", "E1", "ENTPersonJointure", "E1", "sn", "MARTIN", "givenName", "Léa",
              "ENTPersonStructRattach", "S1", "ENTElevePersRelEleve", "R1", NULL);
  add_record (pupils, "Eleve", "E2", "ENTPersonJointure", "E2", "sn", "MARTIN", "givenName", "Noé",
              "ENTPersonStructRattach", "S1", "ENTElevePersRelEleve", "R2$10", NULL);
  add_record (pupils, "Eleve", "E3", "ENTPersonJointure", "E3", "sn", "MARTIN", "givenName", "Inès",
              "ENTPersonStructRattach", "S1", "ENTElevePersRelEleve", "$10$1$1$1$1||||R3$20$1$1$1$1$EN TROP", NULL);
  path = write_aaf (fixture, PUPIL_FILE, pupils->str);

  summary = import_folder_ok (fixture);
  g_assert_cmpuint (summary->pupils, ==, 3);

  assert_sql_int (fixture, "SELECT count(*) FROM guardians WHERE pupil_key = 'E1' AND parent_key = 'R1'", 1);
  assert_sql_int (fixture, "SELECT count(*) FROM guardians WHERE pupil_key = 'E2' AND parent_key = 'R2'", 1);
  assert_sql_int (fixture, "SELECT relationship FROM guardians WHERE pupil_key = 'E1'", 0);
  assert_sql_int (fixture, "SELECT relationship FROM guardians WHERE pupil_key = 'E2'", 10);
  g_assert_false (has_warning (summary, "ENTElevePersRelEleve in the record E1", NULL));
  g_assert_false (has_warning (summary, "ENTElevePersRelEleve in the record E2", NULL));

  /* No parent: left out; an extra part: ignored. Both said. */
  assert_sql_int (fixture, "SELECT count(*) FROM guardians WHERE pupil_key = 'E3'", 1);
  assert_sql_int (fixture, "SELECT count(*) FROM guardians WHERE pupil_key = 'E3' AND parent_key = 'R3'", 1);
  g_assert_true (has_warning (summary, PUPIL_FILE ", line ", "“$10$1$1$1$1” of ENTElevePersRelEleve in the record E3"));
  g_assert_true (has_warning (summary, "ENTElevePersRelEleve in the record E3", "more parts"));
  g_assert_cmpuint (count_warnings (summary, "ENTElevePersRelEleve"), ==, 2);
}

/* ENTEleveClasses, ENTEleveGroupes (structure$code, or a bare code in the
 * pupil's structure). */
static void
test_split_memberships (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GString) pupils = g_string_new (NULL);
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autofree char *path = NULL;

  write_school (fixture);
  add_record (pupils, "Eleve", "E1", "ENTPersonJointure", "E1", "sn", "MARTIN", "givenName", "Léa",
              "ENTPersonStructRattach", "S1",
              "ENTEleveClasses", "S1$6 A||S1$||$5 B||4 C||||S1$3 D$EN TROP",
              "ENTEleveGroupes", "S1$LATIN||S1$||$GREC||S1$ALLEMAND$EN TROP", NULL);
  path = write_aaf (fixture, PUPIL_FILE, pupils->str);

  summary = import_folder_ok (fixture);

  assert_sql_text (fixture,
                   "SELECT group_concat (structure || ':' || code, ',') FROM"
                   " (SELECT * FROM memberships WHERE kind = 'class' ORDER BY code)",
                   "S1:3 D,S1:4 C,S1:5 B,S1:6 A");
  assert_sql_text (fixture,
                   "SELECT group_concat (structure || ':' || code, ',') FROM"
                   " (SELECT * FROM memberships WHERE kind = 'group' ORDER BY code)",
                   "S1:ALLEMAND,S1:GREC,S1:LATIN");
  g_assert_true (has_warning (summary, PUPIL_FILE ", line ", "“S1$” of ENTEleveClasses in the record E1"));
  g_assert_true (has_warning (summary, "“S1$3 D$EN TROP” of ENTEleveClasses in the record E1", "more parts"));
  g_assert_true (has_warning (summary, "“S1$” of ENTEleveGroupes in the record E1", NULL));
  g_assert_true (has_warning (summary, "“S1$ALLEMAND$EN TROP” of ENTEleveGroupes in the record E1", "more parts"));
  g_assert_cmpuint (count_warnings (summary, "ENTEleveClasses"), ==, 2);
  g_assert_cmpuint (count_warnings (summary, "ENTEleveGroupes"), ==, 2);
}

/* ENTAuxEnsClasses, ENTAuxEnsGroupes, ENTAuxEnsClassesPrincipal. */
static void
test_split_teachings (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char * const attributes[] = { "ENTAuxEnsClasses", "ENTAuxEnsGroupes", "ENTAuxEnsClassesPrincipal" };
  static const char * const kinds[] = { "class", "group", "principal" };
  g_autoptr(GString) staff = g_string_new (NULL);
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autofree char *path = NULL;

  write_school (fixture);
  add_record (staff, "PersEducNat", "T1", "ENTPersonJointure", "T1", "sn", "BERNARD", "givenName", "Luc",
              "ENTPersonStructRattach", "S1", "ENTPersonFonctions", "S1$ENS$ENSEIGNEMENT$L1300$MATHEMATIQUES",
              "ENTAuxEnsClasses", "S1$6 A||S1$||$5 B||4 C||||S1$3 D$EN TROP",
              "ENTAuxEnsGroupes", "S1$6 A||S1$||$5 B||4 C||||S1$3 D$EN TROP",
              "ENTAuxEnsClassesPrincipal", "S1$6 A||S1$||$5 B||4 C||||S1$3 D$EN TROP", NULL);
  path = write_aaf (fixture, STAFF_FILE, staff->str);

  summary = import_folder_ok (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (attributes); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT group_concat (structure || ':' || code, ',') FROM"
                                              " (SELECT * FROM teachings WHERE kind = '%s' ORDER BY code)",
                                              kinds[i]);
      g_autofree char *short_value = g_strdup_printf ("“S1$” of %s in the record T1", attributes[i]);
      g_autofree char *long_value = g_strdup_printf ("“S1$3 D$EN TROP” of %s in the record T1", attributes[i]);
      g_autofree char *any = g_strdup_printf ("of %s in", attributes[i]);

      assert_sql_text (fixture, sql, "S1:3 D,S1:4 C,S1:5 B,S1:6 A");
      g_assert_true (has_warning (summary, STAFF_FILE ", line ", short_value));
      g_assert_true (has_warning (summary, long_value, "more parts"));
      g_assert_cmpuint (count_warnings (summary, any), ==, 2);
    }
}

/* ENTAuxEnsMatiereEnseignEtab (structure$subject, or a bare subject). */
static void
test_split_subjects (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GString) staff = g_string_new (NULL);
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autofree char *path = NULL;

  write_school (fixture);
  add_record (staff, "PersEducNat", "T1", "ENTPersonJointure", "T1", "sn", "BERNARD", "givenName", "Luc",
              "ENTPersonStructRattach", "S1", "ENTPersonFonctions", "S1$ENS",
              "ENTAuxEnsMatiereEnseignEtab", "S1$MATHEMATIQUES||S1$||$PHYSIQUE||HISTOIRE||||S1$SVT$EN TROP||$", NULL);
  path = write_aaf (fixture, STAFF_FILE, staff->str);

  summary = import_folder_ok (fixture);

  assert_sql_text (fixture,
                   "SELECT group_concat (structure || ':' || label, ',') FROM"
                   " (SELECT * FROM staff_subjects ORDER BY label)",
                   "S1:HISTOIRE,S1:MATHEMATIQUES,S1:PHYSIQUE,S1:SVT");
  g_assert_true (has_warning (summary, STAFF_FILE ", line ", "“S1$” of ENTAuxEnsMatiereEnseignEtab in the record T1"));
  g_assert_true (has_warning (summary, "“$” of ENTAuxEnsMatiereEnseignEtab in the record T1", NULL));
  g_assert_true (has_warning (summary, "“S1$SVT$EN TROP” of ENTAuxEnsMatiereEnseignEtab", "more parts"));
  g_assert_cmpuint (count_warnings (summary, "ENTAuxEnsMatiereEnseignEtab"), ==, 3);
}

/* ENTPersonAdresse: one line, or lines joined by "$"; any number of them
 * can be used. */
static void
test_split_address (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GString) parents = g_string_new (NULL);
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autofree char *path = NULL;

  write_school (fixture);
  add_record (parents, "PersRelEleve", "R1", "ENTPersonJointure", "R1", "sn", "MARTIN", "givenName", "Anne",
              "ENTPersonAdresse", "14 rue du Lac", NULL);
  add_record (parents, "PersRelEleve", "R2", "ENTPersonJointure", "R2", "sn", "MARTIN", "givenName", "Paul",
              "ENTPersonAdresse", "Bâtiment B$$14 rue du Lac$", NULL);
  add_record (parents, "PersRelEleve", "R3", "ENTPersonJointure", "R3", "sn", "MARTIN", "givenName", "Zoé",
              "ENTPersonAdresse", "$$$", NULL);
  add_record (parents, "PersRelEleve", "R4", "ENTPersonJointure", "R4", "sn", "MARTIN", "givenName", "Luc",
              "ENTPersonAdresse", "a$b$c$d$e$f", NULL);
  path = write_aaf (fixture, PARENT_FILE, parents->str);

  summary = import_folder_ok (fixture);
  g_assert_cmpuint (summary->parents, ==, 4);
  assert_sql_text (fixture, "SELECT address FROM persons WHERE key = 'R1'", "14 rue du Lac");
  assert_sql_text (fixture, "SELECT address FROM persons WHERE key = 'R2'", "Bâtiment B\n14 rue du Lac");
  assert_sql_text (fixture, "SELECT address FROM persons WHERE key = 'R3'", "");
  assert_sql_text (fixture, "SELECT address FROM persons WHERE key = 'R4'", "a\nb\nc\nd\ne\nf");
  g_assert_cmpuint (count_warnings (summary, "ENTPersonAdresse"), ==, 0);
}

/* The value that crashed sesamectl: now a warning, and the import goes on. */
static void
test_split_cli (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) staff = g_string_new (NULL);
  g_autoptr(GString) pupils = g_string_new (NULL);
  g_autofree char *staff_path = NULL;
  g_autofree char *pupil_path = NULL;
  Run run = { 0 };

  write_school (fixture);
  add_record (staff, "PersEducNat", "T1", "ENTPersonJointure", "T1", "sn", "ROCHE", "givenName", "Hélène",
              "ENTPersonStructRattach", "S1", "ENTPersonFonctions", "1$DIR||S1", NULL);
  staff_path = write_aaf (fixture, STAFF_FILE, staff->str);
  add_record (pupils, "Eleve", "E1", "ENTPersonJointure", "E1", "sn", "MARTIN", "givenName", "Léa",
              "ENTPersonStructRattach", "S1", "ENTElevePersRelEleve", "R1$10", "ENTEleveClasses", "S1$6 A", NULL);
  pupil_path = write_aaf (fixture, PUPIL_FILE, pupils->str);

  run_ctl (fixture, &run, "import", fixture->aaf, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "1 pupil,"));
  g_assert_nonnull (strstr (run.err, STAFF_FILE ", line "));
  g_assert_nonnull (strstr (run.err, "“S1” of ENTPersonFonctions in the record T1"));
  sesame_test_run_clear (&run);

  assert_sql_text (fixture, "SELECT structure || ':' || code FROM functions WHERE person_key = 'T1'", "1:DIR");
  assert_sql_int (fixture, "SELECT count(*) FROM guardians WHERE pupil_key = 'E1' AND parent_key = 'R1'", 1);
}

/* Files that go on after their root element */

/* A complete export of the pupils E1, E2 and E3, as bytes. */
static char *
pupils_export (guint first,
               guint last)
{
  g_autoptr(GString) pupils = g_string_new (NULL);

  for (guint i = first; i <= last; i++)
    {
      g_autofree char *id = g_strdup_printf ("E%u", i);
      g_autofree char *parent = g_strdup_printf ("R%u$10$1$1$1$1", i);

      add_record (pupils, "Eleve", id, "ENTPersonJointure", id, "sn", "LEFÈVRE", "givenName", "Léa",
                  "ENTPersonStructRattach", "S1", "ENTElevePersRelEleve", parent, "ENTEleveClasses", "S1$6 A", NULL);
    }
  return g_string_free (g_steal_pointer (&pupils), FALSE);
}

/* The school, its pupils imported once: what a refused import must leave
 * as it is. */
static void
import_school (Fixture *fixture)
{
  g_autofree char *pupils = pupils_export (1, 3);
  g_autofree char *path = NULL;
  g_autoptr(SesameImportSummary) summary = NULL;

  write_school (fixture);
  path = write_aaf (fixture, PUPIL_FILE, pupils);
  summary = import_folder_ok (fixture);
  g_assert_cmpuint (summary->accounts_created, ==, 7);
}

/* The same export, broken in the ways that used to drop every record
 * after the break. */
static char *
broken_export (guint  how,
               guint *line)
{
  g_autofree char *first = pupils_export (1, 1);
  g_autofree char *rest = pupils_export (2, 3);

  /* AAF_HEAD is three lines, a pupil twelve. */
  switch (how)
    {
    case 0:
      /* A stray end of the root between two records. */
      *line = 17;
      return g_strconcat (AAF_HEAD, first, AAF_TAIL, rest, AAF_TAIL, NULL);
    case 1:
      /* Two exports joined in one file. */
      *line = 17;
      return g_strconcat (AAF_HEAD, first, AAF_TAIL, AAF_HEAD, rest, AAF_TAIL, NULL);
    default:
      /* A stray end of the root inside a record. */
      {
        g_autoptr(GString) text = g_string_new (AAF_HEAD);

        g_string_append (text, first);
        g_string_append (text, rest);
        g_string_append (text, AAF_TAIL);
        g_assert_cmpuint (g_string_replace (text, "<attr name=\"sn\"><value>LEFÈVRE</value></attr>\n",
                                            "<attr name=\"sn\"><value>LEFÈVRE</value></attr>\n" AAF_TAIL, 2), ==, 2);
        *line = 11;
        return g_string_free (g_steal_pointer (&text), FALSE);
      }
    }
}

static void
test_after_root_import (Fixture       *fixture,
                        gconstpointer  data)
{
  import_school (fixture);

  for (guint how = 0; how < 3; how++)
    {
      g_autofree char *before = store_snapshot (fixture);
      g_autofree char *after = NULL;
      g_autofree char *broken = NULL;
      g_autofree char *path = NULL;
      g_autofree char *where = NULL;
      g_autoptr(SesameImportSummary) summary = NULL;
      g_autoptr(GError) error = NULL;
      guint line = 0;

      broken = broken_export (how, &line);
      path = write_bytes (fixture, PUPIL_FILE, broken, strlen (broken));
      summary = import_folder (fixture, &error);
      g_assert_null (summary);
      g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
      where = g_strdup_printf ("goes on at line %u", line);
      g_assert_nonnull (strstr (error->message, PUPIL_FILE));
      if (strstr (error->message, where) == NULL)
        g_error ("%s does not say %s", error->message, where);

      /* Nobody left, nothing changed: the import applies whole or not at all. */
      after = store_snapshot (fixture);
      g_assert_cmpstr (after, ==, before);
      assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL", 0);
      assert_sql_int (fixture, "SELECT count(*) FROM accounts WHERE disabled_at IS NOT NULL", 0);
    }
}

static void
test_after_root_cli (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *path = NULL;
  guint line = 0;
  Run run = { 0 };

  import_school (fixture);
  before = store_snapshot (fixture);

  broken = broken_export (0, &line);
  g_assert_cmpuint (line, ==, 17);
  path = write_bytes (fixture, PUPIL_FILE, broken, strlen (broken));
  run_ctl (fixture, &run, "import", fixture->aaf, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, PUPIL_FILE));
  g_assert_nonnull (strstr (run.err, "goes on at line 17 after its root element <ficAlimMENESR> ended at line 16"));
  g_assert_nonnull (strstr (run.err, "two exports"));
  sesame_test_run_clear (&run);

  after = store_snapshot (fixture);
  g_assert_cmpstr (after, ==, before);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE left_at IS NOT NULL", 0);
}

/* The ministry's deltas close <modification> with </attr>: mended with a
 * warning, never refused. */
static void
test_delta_recovered (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *college = sesame_test_data_path ("aaf/college");
  g_autofree char *delta = sesame_test_data_path ("aaf/college-delta/ENT_0741234A_Delta_20240915_Eleve_0000.xml");
  const char *college_paths[] = { college, NULL };
  const char *delta_paths[] = { delta, NULL };
  g_autoptr(SesameImportSummary) first = NULL;
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  first = sesame_import_run (open_store (fixture), college_paths, NULL, SESAME_IMPORT_FLAGS_NONE,
                             NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  summary = sesame_import_run (open_store (fixture), delta_paths, NULL, SESAME_IMPORT_FLAGS_DRY_RUN,
                               NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (has_warning (summary, "ENT_0741234A_Delta_20240915_Eleve_0000.xml, line 12", "</attr>"));
  g_assert_cmpuint (summary->persons_updated, >=, 1);

  run_ctl (fixture, &run, "import", delta, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "ENT_0741234A_Delta_20240915_Eleve_0000.xml, line 17"));
  g_assert_nonnull (strstr (run.err, "</attr>"));
  sesame_test_run_clear (&run);
  assert_sql_text (fixture, "SELECT code FROM memberships WHERE person_key = 'E304' AND kind = 'class' AND deleted_at IS NULL",
                   "5 B");
}

/* Encodings */

/* UTF-16 and UTF-32 exports import as their UTF-8 original. */
static void
test_utf16_import (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct
  {
    const char *encoding;
    const char *bom;
    gsize       bom_len;
  } cases[] = {
    { "UTF-16LE", "\xFF\xFE", 2 },
    { "UTF-16BE", "", 0 },
    { "UTF-16BE", "\xFE\xFF", 2 },
    { "UTF-16LE", "", 0 },
    { "UTF-32BE", "\0\0\xFE\xFF", 4 },
  };
  g_autofree char *pupils = pupils_export (1, 3);
  g_autofree char *utf8 = g_strconcat (AAF_HEAD, pupils, AAF_TAIL, NULL);
  g_autofree char *expected = NULL;

  import_school (fixture);
  expected = store_snapshot (fixture);
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE last_name = 'LEFÈVRE' AND first_name = 'Léa'", 3);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) text = g_string_new (utf8);
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      g_autoptr(SesameImportSummary) summary = NULL;
      g_autofree char *converted = NULL;
      g_autofree char *path = NULL;
      g_autofree char *after = NULL;
      gsize len = 0;

      g_string_replace (text, "encoding=\"UTF-8\"", i % 2 == 0 ? "encoding=\"UTF-16\"" : "", 1);
      converted = g_convert (text->str, text->len, cases[i].encoding, "UTF-8", NULL, &len, NULL);
      g_assert_nonnull (converted);
      g_byte_array_append (bytes, (const guint8 *) cases[i].bom, cases[i].bom_len);
      g_byte_array_append (bytes, (const guint8 *) converted, len);
      path = write_bytes (fixture, PUPIL_FILE, bytes->data, bytes->len);

      /* Nothing changed: the same pupils, read the same. */
      summary = import_folder_ok (fixture);
      g_assert_cmpuint (summary->pupils, ==, 3);
      g_assert_cmpuint (summary->persons_updated, ==, 0);
      g_assert_cmpuint (summary->persons_departed, ==, 0);
      g_assert_cmpuint (count_warnings (summary, PUPIL_FILE), ==, 0);
      after = store_snapshot (fixture);
      g_assert_nonnull (after);
    }
  assert_sql_int (fixture, "SELECT count(*) FROM persons WHERE last_name = 'LEFÈVRE' AND first_name = 'Léa'", 3);
}

/* Through sesamectl: a UTF-16 file imports; a picture, an archive or a
 * document renamed .xml is named for what it is, with exit 2, and leaves
 * the store as it was. */
static void
test_encodings_cli (Fixture       *fixture,
                    gconstpointer  data)
{
  static const struct
  {
    const char *name;
    const char *data;
    gsize       len;
    const char *says;
  } cases[] = {
    /* Lengths from sizeof: the data hold NUL bytes. */
    { "photo.xml", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", sizeof "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10" - 1, "is not an AAF XML file" },
    { "export.xml", "PK\x03\x04\x14\0\0\0\x08\0", sizeof "PK\x03\x04\x14\0\0\0\x08\0" - 1, "is a ZIP archive" },
    { "ebcdic.xml", "\x4C\x6F\xA7\x94\x93\x40", sizeof "\x4C\x6F\xA7\x94\x93\x40" - 1, "unsupported encoding" },
  };
  g_autofree char *pupils = pupils_export (4, 4);
  g_autofree char *utf8 = g_strconcat (AAF_HEAD, pupils, AAF_TAIL, NULL);
  g_autofree char *utf16 = NULL;
  g_autofree char *wide_path = NULL;
  g_autofree char *before = NULL;
  gsize len = 0;
  Run run = { 0 };

  write_school (fixture);
  g_assert_nonnull (strstr (utf8, "encoding=\"UTF-8\""));
  memcpy (strstr (utf8, "UTF-8\""), "UTF16\"", 6);
  utf16 = g_convert (utf8, -1, "UTF-16BE", "UTF-8", NULL, &len, NULL);
  wide_path = g_build_filename (fixture->dir, "ENT_0741234A_Delta_20240902_Eleve_0000.xml", NULL);
  g_assert_true (g_file_set_contents (wide_path, utf16, len, NULL));

  run_ctl (fixture, &run, "import", fixture->aaf, wide_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "1 pupil,"));
  g_assert_null (strstr (run.err, "ENT_0741234A_Delta_20240902_Eleve_0000.xml"));
  sesame_test_run_clear (&run);
  assert_sql_text (fixture, "SELECT last_name || ' ' || first_name FROM persons WHERE key = 'E4'", "LEFÈVRE Léa");
  before = store_snapshot (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, cases[i].name, NULL);
      g_autofree char *after = NULL;

      g_assert_true (g_file_set_contents (path, cases[i].data, cases[i].len, NULL));
      run_ctl (fixture, &run, "import", fixture->aaf, path, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].name));
      g_assert_nonnull (strstr (run.err, cases[i].says));
      g_assert_null (strstr (run.err, "cut off"));
      g_assert_null (strstr (run.err, "holds no directory records"));
      sesame_test_run_clear (&run);
      after = store_snapshot (fixture);
      g_assert_cmpstr (after, ==, before);
    }
}

/* Bounded memory */

/* How large the hostile files are: 100 MB unless SESAME_TEST_HOSTILE_MB
 * says otherwise. */
static gsize
hostile_bytes (void)
{
  const char *mb = g_getenv ("SESAME_TEST_HOSTILE_MB");

  return (mb != NULL ? g_ascii_strtoull (mb, NULL, 10) : 100) * 1024 * 1024;
}

/* Writes head, then unit again and again up to size bytes, then tail. */
static char *
write_hostile (Fixture    *fixture,
               const char *name,
               const char *head,
               const char *unit,
               gsize       size,
               const char *tail)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  gsize unit_len = strlen (unit);
  gsize per_block = MAX (1, 65536 / unit_len);
  g_autoptr(GString) block = g_string_sized_new (per_block * unit_len);
  FILE *file = fopen (path, "w");
  gsize written = 0;

  g_assert_nonnull (file);
  for (gsize i = 0; i < per_block; i++)
    g_string_append_len (block, unit, unit_len);
  fputs (head, file);
  while (written + block->len <= size)
    {
      g_assert_cmpuint (fwrite (block->str, 1, block->len, file), ==, block->len);
      written += block->len;
    }
  fputs (tail, file);
  g_assert_cmpint (fclose (file), ==, 0);
  return path;
}

#define HOSTILE_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n"
#define HOSTILE_RECORD \
  "<addRequest>\n<operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n" \
  "<identifier><id>E900</id></identifier>\n<attributes>\n<attr name=\"ENTPersonStructRattach\"><value>S1</value></attr>\n"

typedef struct
{
  const char *name;
  const char *head;
  const char *unit;
  const char *tail;
  int         status;
  const char *says;    /* on the error output */
} Hostile;

static const Hostile hostile[] = {
  { "unclosed-tags", HOSTILE_HEAD, "<a>", "", 2, "nests elements more than 32 deep at line 3" },
  { "deep-nesting", HOSTILE_HEAD HOSTILE_RECORD "<attr name=\"sn\"><value>", "<b><c>", "", 2, "nests elements more than 32 deep at line 8" },
  { "long-value", HOSTILE_HEAD HOSTILE_RECORD "<attr name=\"sn\"><value>", "MARTIN ",
    "</value></attr>\n<attr name=\"givenName\"><value>Léa</value></attr>\n</attributes>\n</addRequest>\n</ficAlimMENESR>\n",
    0, "hostile-long-value.xml, line 8: the value of sn in the record E900 is " },
  { "many-values", HOSTILE_HEAD HOSTILE_RECORD "<attr name=\"sn\"><value>MARTIN</value></attr>\n<attr name=\"ENTEleveGroupes\">\n",
    "<value>S1$LATIN</value>", "</attr>\n</attributes>\n</addRequest>\n</ficAlimMENESR>\n",
    0, "the record E900 holds more than an AAF record can" },
  /* Records as large as a record may be: the import keeps hundreds. */
  { "large-records", NULL, NULL, NULL, 0, NULL },
  { "unclosed-tag", HOSTILE_HEAD "<addRequest ", "a=\"b\" ", "", 2, "a tag longer than 16384 bytes at line 3" },
  { "unclosed-quote", HOSTILE_HEAD "<addRequest a=\"", "b", "", 2, "a tag longer than 16384 bytes at line 3" },
  { "unclosed-end-tag", HOSTILE_HEAD "</", "a", "", 2, "a tag longer than 16384 bytes at line 3" },
  { "unclosed-comment", HOSTILE_HEAD "<!--", "-", "", 2, "cannot be read past line" },
  { "text", HOSTILE_HEAD, "lorem ipsum ", "</ficAlimMENESR>\n", 0, NULL },
  { "new-names", NULL, NULL, NULL, 2, "different element and attribute names" },
};

/* Whatever the file holds, sesamectl import stays under 200 MB: a child
 * of its own is measured (its peak resident memory, from wait4), and the
 * figures are printed. */
static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  const Hostile *file = data;
  g_autofree char *name = g_strdup_printf ("hostile-%s.xml", file->name);
  g_autofree char *path = NULL;
  g_autofree char *before = NULL;
  gsize size = hostile_bytes ();
  GStatBuf st;
  Run run = { 0 };

  import_school (fixture);
  before = store_snapshot (fixture);
  close_store (fixture);

  if (file->head == NULL)
    {
      FILE *out;

      path = g_build_filename (fixture->dir, name, NULL);
      out = fopen (path, "w");
      g_assert_nonnull (out);
      fputs (HOSTILE_HEAD, out);
      for (gsize i = 0, written = 0; written < size; i++)
        if (g_str_equal (file->name, "new-names"))
          /* Every element a name never seen before. */
          written += fprintf (out, "<n%" G_GSIZE_FORMAT "/>\n", i);
        else
          {
            /* 60 KB of values the import does not read. */
            written += fprintf (out,
                                "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>PersEducNat</value>"
                                "</attr></operationalAttributes><identifier><id>T%" G_GSIZE_FORMAT "</id></identifier><attributes>"
                                "<attr name=\"sn\"><value>MARTIN</value></attr><attr name=\"ENTPersonStructRattach\"><value>S1"
                                "</value></attr><attr name=\"ENTPersonAutresAttributs\">\n", i);
            for (guint v = 0; v < 2700; v++)
              written += fprintf (out, "<value>%06u</value>", v);
            written += fprintf (out, "\n</attr></attributes></addRequest>\n");
          }
      fputs ("</ficAlimMENESR>\n", out);
      g_assert_cmpint (fclose (out), ==, 0);
    }
  else
    path = write_hostile (fixture, name, file->head, file->unit, size, file->tail);
  g_assert_cmpint (g_stat (path, &st), ==, 0);

  run_ctl (fixture, &run, "import", path, NULL);
  g_test_message ("%s: %.0f MB read in %.1f s, exit %d, peak RSS %.1f MB",
                  file->name, st.st_size / 1048576.0, run.seconds, run.status, run.peak_rss_kb / 1024.0);
  g_unlink (path);

  if (run.status != file->status || (file->says != NULL && strstr (run.err, file->says) == NULL))
    g_error ("%s: exit %d, expected %d and “%s”, said: %s", file->name, run.status, file->status,
             file->says ? file->says : "", run.err);
  g_assert_cmpint (run.peak_rss_kb, <, peak_rss_limit_kb ());

  if (file->status != 0)
    {
      g_autofree char *after = store_snapshot (fixture);

      g_assert_nonnull (strstr (run.err, name));
      g_assert_cmpstr (after, ==, before);
    }
  else if (g_str_equal (file->name, "long-value"))
    {
      /* Cut, and stored: the import went on. */
      assert_sql_int (fixture, "SELECT length (last_name) FROM persons WHERE key = 'E900'", 256);
      assert_sql_text (fixture, "SELECT first_name FROM persons WHERE key = 'E900'", "Léa");
    }
  else if (g_str_equal (file->name, "many-values"))
    {
      assert_sql_text (fixture, "SELECT last_name FROM persons WHERE key = 'E900'", "MARTIN");
      assert_sql_int (fixture, "SELECT count(*) FROM memberships WHERE person_key = 'E900'", 1);
    }
  sesame_test_run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sesame/import-input/split/functions", test_split_functions);
  ADD ("/sesame/import-input/split/guardians", test_split_guardians);
  ADD ("/sesame/import-input/split/memberships", test_split_memberships);
  ADD ("/sesame/import-input/split/teachings", test_split_teachings);
  ADD ("/sesame/import-input/split/subjects", test_split_subjects);
  ADD ("/sesame/import-input/split/address", test_split_address);
  ADD ("/sesame/import-input/split/cli", test_split_cli);
  ADD ("/sesame/import-input/after-root/import", test_after_root_import);
  ADD ("/sesame/import-input/after-root/cli", test_after_root_cli);
  ADD ("/sesame/import-input/delta-recovered", test_delta_recovered);
  ADD ("/sesame/import-input/encoding/utf16", test_utf16_import);
  ADD ("/sesame/import-input/encoding/cli", test_encodings_cli);
#undef ADD

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sesame/import-input/memory/%s", hostile[i].name);

      g_test_add (path, Fixture, &hostile[i], fixture_set_up, test_hostile, fixture_tear_down);
    }

  return g_test_run ();
}
