/* test-import-invisible.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invisible and direction-changing characters in the directory: removed
 * at import with a warning naming the person, so that no letter prints
 * "LE GOFF‹RLO›EVIL" as "LE GOFFLIVE" and no identifier file gains line
 * breaks for readers that honour U+0085 or U+2028.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sesame.h"
#include "sesame-identifier-files.h"
#include "sesame-import.h"
#include "sesame-letters.h"
#include "sesame-test-util.h"

#define RLO  "\xe2\x80\xae"  /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define LRI  "\xe2\x81\xa6"  /* U+2066 LEFT-TO-RIGHT ISOLATE */
#define PDI  "\xe2\x81\xa9"  /* U+2069 POP DIRECTIONAL ISOLATE */
#define ZWSP "\xe2\x80\x8b"  /* U+200B ZERO WIDTH SPACE */
#define SHY  "\xc2\xad"      /* U+00AD SOFT HYPHEN */
#define NEL  "\xc2\x85"      /* U+0085 NEXT LINE */
#define LSEP "\xe2\x80\xa8"  /* U+2028 LINE SEPARATOR */
#define PSEP "\xe2\x80\xa9"  /* U+2029 PARAGRAPH SEPARATOR */

static const char aaf[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<ficAlimMENESR>\n"
  "<addRequest>\n"
  "<operationalAttributes><attr name=\"categorieStructure\"><value>EtabEducNat</value></attr></operationalAttributes>\n"
  "<identifier><id>29001</id></identifier>\n"
  "<attributes>\n"
  "<attr name=\"ENTStructureJointure\"><value>29001</value></attr>\n"
  "<attr name=\"ENTStructureUAI\"><value>0290001A</value></attr>\n"
  "<attr name=\"ENTStructureNomCourant\"><value>Collège du Ponant</value></attr>\n"
  "<attr name=\"ENTServAcAcademie\"><value>RENNES</value></attr>\n"
  "</attributes>\n"
  "</addRequest>\n"
  "<addRequest>\n"
  "<operationalAttributes><attr name=\"categoriePersonne\"><value>PersRelEleve</value></attr></operationalAttributes>\n"
  "<identifier><id>9001</id></identifier>\n"
  "<attributes>\n"
  "<attr name=\"ENTPersonJointure\"><value>9001</value></attr>\n"
  "<attr name=\"personalTitle\"><value>Mme</value></attr>\n"
  "<attr name=\"sn\"><value>LE GOFF" RLO "EVIL</value></attr>\n"
  "<attr name=\"givenName\"><value>Ma" ZWSP "ëlle</value></attr>\n"
  "<attr name=\"ENTPersonAdresse\"><value>3 rue" LSEP "des Lilas$Bâtiment" PSEP "B</value></attr>\n"
  "<attr name=\"ENTPersonCodePostal\"><value>29200</value></attr>\n"
  "<attr name=\"ENTPersonVille\"><value>BREST" NEL "</value></attr>\n"
  "</attributes>\n"
  "</addRequest>\n"
  "<addRequest>\n"
  "<operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n"
  "<identifier><id>9002</id></identifier>\n"
  "<attributes>\n"
  "<attr name=\"ENTPersonJointure\"><value>9002</value></attr>\n"
  "<attr name=\"sn\"><value>LE GOFF" LRI "EVIL" PDI "</value></attr>\n"
  "<attr name=\"givenName\"><value>Yann" SHY "ick</value></attr>\n"
  "<attr name=\"ENTPersonStructRattach\"><value>29001</value></attr>\n"
  "<attr name=\"ENTEleveClasses\"><value>29001$6A</value></attr>\n"
  "<attr name=\"ENTElevePersRelEleve\"><value>9001$2$1$1$1$1</value></attr>\n"
  "</attributes>\n"
  "</addRequest>\n"
  "<addRequest>\n"
  "<operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n"
  "<identifier><id>9003</id></identifier>\n"
  "<attributes>\n"
  "<attr name=\"ENTPersonJointure\"><value>9003</value></attr>\n"
  "<attr name=\"sn\"><value>KERMARREC</value></attr>\n"
  "<attr name=\"givenName\"><value>Soizic</value></attr>\n"
  "<attr name=\"ENTPersonStructRattach\"><value>29001</value></attr>\n"
  "<attr name=\"ENTEleveClasses\"><value>29001$6A</value></attr>\n"
  "</attributes>\n"
  "</addRequest>\n"
  "</ficAlimMENESR>\n";

static const char * const invisible[] = { RLO, LRI, PDI, ZWSP, SHY, NEL, LSEP, PSEP };

static void
assert_visible (const char *text,
                const char *what)
{
  for (guint i = 0; i < G_N_ELEMENTS (invisible); i++)
    if (strstr (text, invisible[i]) != NULL)
      g_error ("%s still holds an invisible character (#%u):\n%s", what, i, text);
}

static gboolean
has_warning (const SesameImportSummary *summary,
             const char                *a,
             const char                *b)
{
  for (guint i = 0; i < summary->warnings->len; i++)
    {
      const char *warning = g_ptr_array_index (summary->warnings, i);

      if (strstr (warning, a) != NULL && strstr (warning, b) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The lines of a text as Python's str.splitlines() cuts them. */
static guint
python_lines (const char *text)
{
  guint n = 0;
  gboolean open = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d ||
          c == 0x1e || c == 0x85 || c == 0x2028 || c == 0x2029)
        {
          if (c == '\r' && p[1] == '\n')
            p++;
          n++;
          open = FALSE;
        }
      else
        open = TRUE;
    }
  return n + (open ? 1 : 0);
}

static guint
csv_rows (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

static char *
pdf_text (const char *path)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  return out;
}

static void
test_invisible (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *store_path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *file_path = g_build_filename (dir, "ENT_0290001A_Complet_20250901_PersRelEleve_0000.xml", NULL);
  g_autofree char *pdf = g_build_filename (dir, "letters.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_text = NULL;
  const char *paths[] = { file_path, NULL };
  const char *file_id;

  g_assert_true (g_file_set_contents (file_path, aaf, -1, &error));
  g_assert_no_error (error);
  store = sesame_store_open (store_path, &error);
  g_assert_no_error (error);

  summary = sesame_import_run (store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);

  /* A warning names each person and what was removed. */
  g_assert_true (has_warning (summary, "Maëlle LE GOFFEVIL", "U+202E"));
  g_assert_true (has_warning (summary, "Maëlle LE GOFFEVIL", "U+200B"));
  g_assert_true (has_warning (summary, "key 9001", "U+0085"));
  g_assert_true (has_warning (summary, "key 9001", "U+2028"));
  g_assert_true (has_warning (summary, "Yannick LE GOFFEVIL", "U+2066"));
  g_assert_true (has_warning (summary, "key 9002", "U+00AD"));
  g_assert_false (has_warning (summary, "KERMARREC", "U+"));
  for (guint i = 0; i < summary->warnings->len; i++)
    assert_visible (g_ptr_array_index (summary->warnings, i), "a warning");

  /* The identifier file: one line per account for every reader. */
  g_assert_cmpuint (summary->identifier_files->len, ==, 1);
  file_id = g_ptr_array_index (summary->identifier_files, 0);
  csv = sesame_identifier_files_render (store, file_id, &error);
  g_assert_no_error (error);
  csv_text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  assert_visible (csv_text, "the identifier file");
  g_assert_nonnull (strstr (csv_text, "LE GOFFEVIL"));
  g_assert_nonnull (strstr (csv_text, "Maëlle"));
  g_assert_nonnull (strstr (csv_text, "Yannick"));
  g_assert_nonnull (strstr (csv_text, "BREST"));
  g_assert_cmpuint (csv_rows (csv_text), ==, 4);  /* a header and three accounts */
  g_assert_cmpuint (python_lines (csv_text), ==, csv_rows (csv_text));

  /* The letter and the slip print the names as the directory spells them. */
  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_ENT_NAME, "Toutatice", &error));
  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_ENT_URL, "https://www.toutatice.example.fr", &error));
  g_assert_no_error (error);
  query->establishment = g_strdup ("0290001A");
  batch = sesame_letter_batch_new (store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sesame_letter_batch_export_pdf (batch, pdf, NULL, &error));
  g_assert_no_error (error);
  text = pdf_text (pdf);
  assert_visible (text, "the PDF");
  g_assert_nonnull (strstr (text, "Maëlle LE GOFFEVIL"));
  g_assert_nonnull (strstr (text, "Yannick LE GOFFEVIL"));
  g_assert_nonnull (strstr (text, "3 RUE DES LILAS"));
  g_assert_null (strstr (text, "LIVE"));

  g_clear_object (&batch);
  g_assert_finalize_object (g_steal_pointer (&store));
  sesame_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);
  g_test_add_func ("/sesame/import/invisible-characters", test_invisible);
  return g_test_run ();
}
