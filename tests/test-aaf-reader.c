/* test-aaf-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "sesame-aaf-filter-private.h"
#include "sesame-aaf-reader.h"
#include "sesame-error.h"
#include "sesame-test-util.h"

typedef struct
{
  GPtrArray *records;   /* SesameAafRecord, copies */
  GPtrArray *warnings;  /* "file:line: message" */
} Collected;

static gboolean
collect_record (const SesameAafRecord *record,
                gpointer               user_data,
                GError               **error)
{
  Collected *collected = user_data;
  SesameAafRecord *copy = sesame_aaf_record_new ();

  sesame_aaf_record_copy_into (copy, record);
  g_ptr_array_add (collected->records, copy);
  return TRUE;
}

static void
collect_warning (const char *file_name,
                 guint       line,
                 const char *message,
                 gpointer    user_data)
{
  Collected *collected = user_data;

  g_ptr_array_add (collected->warnings, g_strdup_printf ("%s:%u: %s", file_name, line, message));
}

static Collected *
collected_new (void)
{
  Collected *collected = g_new0 (Collected, 1);

  collected->records = g_ptr_array_new_with_free_func ((GDestroyNotify) sesame_aaf_record_free);
  collected->warnings = g_ptr_array_new_with_free_func (g_free);
  return collected;
}

static void
collected_free (Collected *collected)
{
  g_ptr_array_unref (collected->records);
  g_ptr_array_unref (collected->warnings);
  g_free (collected);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Collected, collected_free)

static Collected *
read_fixture (const char  *name,
              GError     **error)
{
  g_autofree char *dir = sesame_test_data_path ("aaf");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  Collected *collected = collected_new ();
  guint64 bytes = 0;

  sesame_aaf_read_file (path, collect_record, collect_warning, collected, &bytes, NULL, error);
  return collected;
}

/* Reads XML written here, under the file name given, which must read
 * without error. */
static Collected *
read_text (const char *name,
           const char *xml)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  Collected *collected = collected_new ();

  g_assert_true (g_file_set_contents (path, xml, -1, NULL));
  sesame_aaf_read_file (path, collect_record, collect_warning, collected, NULL, NULL, &error);
  g_assert_no_error (error);
  sesame_test_remove_tree (dir);
  return collected;
}

static const SesameAafRecord *
record_at (Collected *collected,
           guint      index)
{
  g_assert_cmpuint (index, <, collected->records->len);
  return g_ptr_array_index (collected->records, index);
}

static gboolean
has_warning (Collected  *collected,
             const char *prefix,
             const char *fragment)
{
  for (guint i = 0; i < collected->warnings->len; i++)
    {
      const char *warning = g_ptr_array_index (collected->warnings, i);

      if (g_str_has_prefix (warning, prefix) && strstr (warning, fragment) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_file_names (void)
{
  SesameAafFileInfo info;

  sesame_aaf_file_info_parse (&info, "/x/ENT_0741234A_Complet_20240901_Eleve_0000.xml");
  g_assert_cmpint (info.kind, ==, SESAME_AAF_KIND_PUPIL);
  g_assert_true (info.complete);
  g_assert_false (info.delta);
  g_assert_cmpstr (info.uai, ==, "0741234A");
  g_assert_cmpstr (info.date, ==, "20240901");
  g_assert_cmpint (info.chunk, ==, 0);
  g_assert_cmpstr (info.set, ==, "ENT_0741234A_Complet_20240901_Eleve");
  sesame_aaf_file_info_clear (&info);

  /* A bare "Eleve_" would also match the parents' files. */
  sesame_aaf_file_info_parse (&info, "clean-FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0033.xml");
  g_assert_cmpint (info.kind, ==, SESAME_AAF_KIND_PARENT);
  g_assert_cmpint (info.chunk, ==, 33);
  g_assert_cmpstr (info.uai, ==, "");
  g_assert_cmpstr (info.set, ==, "FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve");
  sesame_aaf_file_info_clear (&info);

  sesame_aaf_file_info_parse (&info, "FULL_ENTTSSERVICES_Delta_20130124_PersEducNat_0010.xml");
  g_assert_cmpint (info.kind, ==, SESAME_AAF_KIND_STAFF);
  g_assert_false (info.complete);
  g_assert_true (info.delta);
  g_assert_cmpint (info.chunk, ==, 10);
  sesame_aaf_file_info_clear (&info);

  sesame_aaf_file_info_parse (&info, "FULL_X_Complet_20130117_MatiereEducNat_0000.xml");
  g_assert_cmpint (info.kind, ==, SESAME_AAF_KIND_SUBJECT);
  sesame_aaf_file_info_clear (&info);

  sesame_aaf_file_info_parse (&info, "ENT_Complet_20200101_EtabEducNat_0000.xml");
  g_assert_cmpint (info.kind, ==, SESAME_AAF_KIND_ESTABLISHMENT);
  g_assert_cmpstr (info.uai, ==, "");
  sesame_aaf_file_info_clear (&info);

  sesame_aaf_file_info_parse (&info, "FULL_X_Complet_20130117_MefEducNat_0000.xml");
  g_assert_cmpint (info.kind, ==, SESAME_AAF_KIND_UNKNOWN);
  g_assert_cmpstr (info.kind_name, ==, "MefEducNat");
  sesame_aaf_file_info_clear (&info);

  sesame_aaf_file_info_parse (&info, "annuaire.xml");
  g_assert_cmpint (info.kind, ==, SESAME_AAF_KIND_UNKNOWN);
  g_assert_cmpint (info.chunk, ==, -1);
  g_assert_false (info.complete);
  sesame_aaf_file_info_clear (&info);
}

static void
test_utf8_without_declaration (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("college/ENT_0741234A_Complet_20240901_Eleve_0000.xml", &error);
  const SesameAafRecord *lea, *lucas;
  const char * const *links;

  g_assert_no_error (error);
  g_assert_cmpuint (collected->records->len, ==, 5);
  g_assert_cmpuint (collected->warnings->len, ==, 0);

  lea = record_at (collected, 0);
  g_assert_cmpint (sesame_aaf_record_get_kind (lea), ==, SESAME_AAF_KIND_PUPIL);
  g_assert_cmpint (sesame_aaf_record_get_operation (lea), ==, SESAME_AAF_OPERATION_ADD);
  g_assert_cmpstr (sesame_aaf_record_get_id (lea), ==, "E300");
  g_assert_cmpstr (sesame_aaf_record_get_value (lea, "sn"), ==, "LEFÈVRE");
  g_assert_cmpstr (sesame_aaf_record_get_value (lea, "givenName"), ==, "Léa");
  g_assert_cmpstr (sesame_aaf_record_get_value (lea, "ENTEleveGroupes"), ==, "61001$LATIN 5");
  /* The file has no XML declaration: the record starts on line 5. */
  g_assert_cmpuint (sesame_aaf_record_get_line (lea), ==, 5);
  g_assert_cmpuint (sesame_aaf_record_get_value_line (lea, "sn"), ==, 14);

  /* Repeated values are kept, in order. */
  links = sesame_aaf_record_get_values (lea, "ENTElevePersRelEleve");
  g_assert_nonnull (links);
  g_assert_cmpuint (g_strv_length ((char **) links), ==, 3);
  g_assert_cmpstr (links[0], ==, "R200$10$1$1$1$1");
  g_assert_cmpstr (links[1], ==, "R201$20$1$1$0$0");
  g_assert_cmpstr (links[2], ==, "R200$10$1$1$1$1");

  /* An empty value is an empty string; a missing attribute is NULL. */
  lucas = record_at (collected, 4);
  g_assert_cmpstr (sesame_aaf_record_get_id (lucas), ==, "E304");
  g_assert_cmpstr (sesame_aaf_record_get_value (lucas, "ENTElevePersRelEleve"), ==, "");
  g_assert_cmpuint (g_strv_length ((char **) sesame_aaf_record_get_values (lucas, "ENTEleveGroupes")), ==, 1);
  g_assert_null (sesame_aaf_record_get_values (lucas, "ENTEleveAdresseRel"));
  g_assert_null (sesame_aaf_record_get_value (lucas, "NoSuchAttribute"));
}

static void
test_latin1_with_references (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("college/ENT_0741234A_Complet_20240901_PersRelEleve_0000.xml", &error);
  const SesameAafRecord *helene;

  g_assert_no_error (error);
  g_assert_cmpuint (collected->records->len, ==, 5);
  g_assert_cmpuint (collected->warnings->len, ==, 0);

  helene = record_at (collected, 0);
  g_assert_cmpint (sesame_aaf_record_get_kind (helene), ==, SESAME_AAF_KIND_PARENT);
  g_assert_cmpstr (sesame_aaf_record_get_value (helene, "sn"), ==, "LEFÈVRE");       /* a raw Latin-1 byte */
  g_assert_cmpstr (sesame_aaf_record_get_value (helene, "givenName"), ==, "Hélène"); /* &#233; and &#232; */
  g_assert_cmpstr (sesame_aaf_record_get_value (helene, "ENTPersonAdresse"), ==,
                   "Appartement 12$Résidence Les Tilleuls$14 rue du Vieux Moulin$");
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 2), "givenName"), ==, "Aïssatou");
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 3), "givenName"), ==, "François");
  g_assert_cmpuint (sesame_aaf_record_get_line (record_at (collected, 1)), ==, 27);
}

static void
test_latin9 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("academy/FULL_ENTTEST_Complet_20240905_EtabEducNat_0000.xml", &error);
  const SesameAafRecord *lycee;

  g_assert_no_error (error);
  g_assert_cmpuint (collected->records->len, ==, 2);
  g_assert_cmpint (sesame_aaf_record_get_kind (record_at (collected, 0)), ==, SESAME_AAF_KIND_ESTABLISHMENT);
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 0), "ENTStructureNomCourant"), ==, "COLLÈGE DES ÉCRINS");

  /* Œ is 0xBC in ISO-8859-15, ¼ in ISO-8859-1. */
  lycee = record_at (collected, 1);
  g_assert_cmpstr (sesame_aaf_record_get_value (lycee, "ENTStructureNomCourant"), ==, "LYCÉE DU CŒUR DE CHARTREUSE");
  g_assert_cmpstr (sesame_aaf_record_get_value (lycee, "street"), ==, "8 place de l'Œuvre");
  g_assert_cmpstr (sesame_aaf_record_get_value (lycee, "ENTStructureUAI"), ==, "0382222Y");
}

static void
test_crlf (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("college/ENT_0741234A_Complet_20240901_PersEducNat_0000.xml", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (collected->records->len, ==, 4);
  for (guint r = 0; r < collected->records->len; r++)
    {
      const SesameAafRecord *record = record_at (collected, r);

      for (guint a = 0; a < sesame_aaf_record_get_n_attributes (record); a++)
        for (const char * const *v = sesame_aaf_record_get_attribute_values (record, a); *v != NULL; v++)
          g_assert_null (strchr (*v, '\r'));
    }
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 2), "ENTPersonFonctions"), ==,
                   "61001$EDU$EDUCATION$E0030$CONSEILLER PRINCIPAL D'EDUCATION");
  g_assert_cmpuint (sesame_aaf_record_get_line (record_at (collected, 1)), ==, 31);
}

static void
test_malformed_modification (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("college-delta/ENT_0741234A_Delta_20240915_Eleve_0000.xml", &error);
  const SesameAafRecord *modify, *delete, *add;

  g_assert_no_error (error);

  /* Nothing after the faulty </attr> is lost. */
  g_assert_cmpuint (collected->records->len, ==, 3);
  modify = record_at (collected, 0);
  g_assert_cmpint (sesame_aaf_record_get_operation (modify), ==, SESAME_AAF_OPERATION_MODIFY);
  g_assert_cmpstr (sesame_aaf_record_get_id (modify), ==, "E304");
  g_assert_cmpstr (sesame_aaf_record_get_value (modify, "sn"), ==, "MARTIN");
  g_assert_cmpstr (sesame_aaf_record_get_value (modify, "givenName"), ==, "Lucas");
  g_assert_cmpstr (sesame_aaf_record_get_value (modify, "ENTEleveClasses"), ==, "61001$5 B");
  g_assert_cmpstr (sesame_aaf_record_get_value (modify, "ENTEleveGroupes"), ==, "");

  delete = record_at (collected, 1);
  g_assert_cmpint (sesame_aaf_record_get_operation (delete), ==, SESAME_AAF_OPERATION_DELETE);
  g_assert_cmpint (sesame_aaf_record_get_kind (delete), ==, SESAME_AAF_KIND_PUPIL);
  g_assert_cmpstr (sesame_aaf_record_get_id (delete), ==, "E302");
  g_assert_cmpuint (sesame_aaf_record_get_n_attributes (delete), ==, 0);

  add = record_at (collected, 2);
  g_assert_cmpint (sesame_aaf_record_get_operation (add), ==, SESAME_AAF_OPERATION_ADD);
  g_assert_cmpstr (sesame_aaf_record_get_value (add, "givenName"), ==, "Inès");

  /* Each repair names the file and its line. */
  g_assert_cmpuint (collected->warnings->len, ==, 2);
  g_assert_true (has_warning (collected, "ENT_0741234A_Delta_20240915_Eleve_0000.xml:12:", "</attr>"));
  g_assert_true (has_warning (collected, "ENT_0741234A_Delta_20240915_Eleve_0000.xml:17:", "</attr>"));
}

static void
test_forbidden_reference (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("quirks/charref.xml", &error);
  const SesameAafRecord *beta;
  g_autofree char *where = NULL;

  /* libxml2 alone stops at &#7; and loses the rest of the file. */
  g_assert_no_error (error);
  g_assert_cmpuint (collected->records->len, ==, 3);
  beta = record_at (collected, 1);
  g_assert_cmpstr (sesame_aaf_record_get_value (beta, "givenName"), ==, "Ana is");
  g_assert_cmpstr (sesame_aaf_record_get_value (beta, "ENTEleveClasses"), ==, "61001$6 A");
  g_assert_cmpstr (sesame_aaf_record_get_id (record_at (collected, 2)), ==, "Q3");

  where = g_strdup_printf ("charref.xml:%u:", sesame_aaf_record_get_value_line (beta, "givenName"));
  g_assert_true (has_warning (collected, where, "&#7;"));
  g_assert_true (has_warning (collected, "charref.xml:", "&#x1B;"));
}

static void
test_control_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("quirks/control.xml", &error);
  g_autofree char *where = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (collected->records->len, ==, 3);
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 1), "givenName"), ==, "Bob by");
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 1), "ENTEleveClasses"), ==, "61001$6 A");
  where = g_strdup_printf ("control.xml:%u:", sesame_aaf_record_get_value_line (record_at (collected, 1), "givenName"));
  g_assert_true (has_warning (collected, where, "0x07"));
}

static void
test_entities (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("quirks/entities.xml", &error);
  const SesameAafRecord *beta;

  g_assert_no_error (error);
  g_assert_cmpuint (collected->records->len, ==, 3);
  beta = record_at (collected, 1);
  g_assert_cmpstr (sesame_aaf_record_get_value (beta, "sn"), ==, "Béta & Fils");
  g_assert_cmpstr (sesame_aaf_record_get_value (beta, "givenName"), ==, "Renée");
  g_assert_cmpstr (sesame_aaf_record_get_value (beta, "ENTEleveClasses"), ==, "61001$6 A & B");
  g_assert_true (has_warning (collected, "entities.xml:", "&eacute;"));
  g_assert_true (has_warning (collected, "entities.xml:", "“&”"));
}

static void
test_latin1_undeclared (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("quirks/latin1-undeclared.xml", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (collected->records->len, ==, 3);
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 1), "sn"), ==, "BÉTA");
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 1), "givenName"), ==, "Renée");
  g_assert_true (has_warning (collected, "latin1-undeclared.xml:", "UTF-8"));
}

static void
test_truncated (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("quirks/truncated.xml", &error);

  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "truncated.xml"));
  g_assert_nonnull (strstr (error->message, "line 59"));
  /* The record cut in the middle is never handed out. */
  g_assert_cmpuint (collected->records->len, ==, 2);
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("quirks/empty.xml", &error);

  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "empty.xml"));
  g_assert_cmpuint (collected->records->len, ==, 0);
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_fixture ("quirks/no-such-file.xml", &error);

  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no-such-file.xml"));
}

static void
test_no_external_entities (void)
{
  g_autoptr(Collected) collected = NULL;
  const char *xml =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE ficAlimMENESR SYSTEM \"http://127.0.0.1:9/ficAlimMENESR.dtd\" [\n"
    "  <!ENTITY leak SYSTEM \"file:///etc/hostname\">\n"
    "]>\n"
    "<ficAlimMENESR>\n"
    "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n"
    "<identifier><id>X1</id></identifier><attributes><attr name=\"sn\"><value>A&leak;B</value></attr></attributes></addRequest>\n"
    "</ficAlimMENESR>\n";

  collected = read_text ("entity.xml", xml);
  g_assert_cmpuint (collected->records->len, ==, 1);
  /* Neither the DTD nor the entity is fetched: the reference stays text. */
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 0), "sn"), ==, "A&leak;B");
  g_assert_true (has_warning (collected, "entity.xml:7:", "&leak;"));
}

/* An XML fault the filter does not mend: libxml2 recovers, and what it
 * left out is said with the line. */
static void
test_recovered_xml_error (void)
{
  g_autoptr(Collected) collected = NULL;
  const char *xml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ficAlimMENESR>\n"
    "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n"
    "<identifier><id>X1</id></identifier><attributes>\n"
    "<attr name=\"sn\"><value>MARTIN</value></attr><attr name=sn2><value>x</value></attr>\n"
    "<attr name=\"givenName\"><value>Jean</value></attr></attributes></addRequest>\n"
    "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n"
    "<identifier><id>X2</id></identifier><attributes><attr name=\"sn\"><value>DURAND</value></attr></attributes></addRequest>\n"
    "</ficAlimMENESR>\n";

  collected = read_text ("unquoted.xml", xml);
  g_assert_cmpuint (collected->records->len, ==, 2);
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 0), "givenName"), ==, "Jean");
  g_assert_cmpstr (sesame_aaf_record_get_id (record_at (collected, 1)), ==, "X2");
  /* The attribute libxml2 could not read is left out, not silently. */
  g_assert_null (sesame_aaf_record_get_value (record_at (collected, 0), "sn2"));
  g_assert_true (has_warning (collected, "unquoted.xml:5:", "AttValue"));
}

static void
test_samples (void)
{
  const char *dir = g_getenv ("SESAME_SAMPLES_DIR");
  g_autoptr(GDir) listing = NULL;
  const char *name;
  guint files = 0, records = 0;

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The folder of real AAF samples is not here");
      return;
    }

  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(Collected) collected = collected_new ();
      g_autoptr(GError) error = NULL;
      SesameAafFileInfo info;

      if (!g_str_has_suffix (name, ".xml"))
        continue;
      sesame_aaf_read_file (path, collect_record, collect_warning, collected, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (collected->warnings->len, ==, 0);
      g_assert_cmpuint (collected->records->len, >, 0);

      /* The record kinds agree with the file's name. */
      sesame_aaf_file_info_parse (&info, path);
      for (guint i = 0; i < collected->records->len; i++)
        {
          const SesameAafRecord *record = record_at (collected, i);

          g_assert_cmpint (sesame_aaf_record_get_kind (record), ==, info.kind);
          g_assert_cmpstr (sesame_aaf_record_get_id (record), !=, "");
        }
      sesame_aaf_file_info_clear (&info);
      files++;
      records += collected->records->len;
    }
  g_assert_cmpuint (files, >, 0);
  g_assert_cmpuint (records, >, 0);
}

typedef struct
{
  guint warnings;
} FilterCount;

static void
count_filter_warning (guint       line,
                      const char *message,
                      gpointer    user_data)
{
  ((FilterCount *) user_data)->warnings++;
}

static char *
filter_in_steps (const char *input,
                 gsize       step,
                 guint      *warnings)
{
  FilterCount count = { 0 };
  SesameAafFilter *filter = _sesame_aaf_filter_new (count_filter_warning, &count);
  GByteArray *out = g_byte_array_new ();
  gsize len = strlen (input);

  for (gsize i = 0; i < len; i += step)
    _sesame_aaf_filter_feed (filter, (const guint8 *) input + i, MIN (step, len - i), out);
  _sesame_aaf_filter_finish (filter, out);
  g_assert_true (_sesame_aaf_filter_root_closed (filter));
  _sesame_aaf_filter_free (filter);
  *warnings = count.warnings;
  g_byte_array_append (out, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (out, FALSE);
}

static void
test_filter_blocks (void)
{
  /* The same repairs whatever the size of the blocks read. */
  const char *input =
    "<r>\n<modification name=\"sn\"><value>L\xc3\xa9""a&#7;B\x01</value></attr>\n"
    "<a x='>'><value>&eacute; &amp; & \xe9t\xc3\xa9 \xc5\x93</value><value/></a>\n"
    "<!-- </z> --><![CDATA[</q> & <]]><?pi </p>?></r>\n";
  const char *expected =
    "<r>\n<modification name=\"sn\"><value>L\xc3\xa9""a B </value></modification>\n"
    "<a x='>'><value>&#233; &amp; &amp; \xc3\xa9t\xc3\xa9 \xc5\x93</value><value/></a>\n"
    "<!-- </z> --><![CDATA[</q> & <]]><?pi </p>?></r>\n";
  g_autofree char *whole = NULL;
  guint whole_warnings = 0;

  whole = filter_in_steps (input, strlen (input), &whole_warnings);
  g_assert_cmpstr (whole, ==, expected);
  /* &#7;, \x01, </attr>, &eacute;, the bare &, \xe9 */
  g_assert_cmpuint (whole_warnings, ==, 6);

  for (gsize step = 1; step <= 7; step++)
    {
      guint warnings = 0;
      g_autofree char *output = filter_in_steps (input, step, &warnings);

      g_assert_cmpstr (output, ==, expected);
      g_assert_cmpuint (warnings, ==, whole_warnings);
    }
}

static void
write_big_file (const char *path,
                guint       n_records)
{
  FILE *f = fopen (path, "w");

  g_assert_nonnull (f);
  fputs ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n", f);
  for (guint i = 0; i < n_records; i++)
    fprintf (f,
             "<addRequest>\n"
             "<operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n"
             "<identifier><id>%u</id></identifier>\n<attributes>\n"
             "<attr name=\"ENTPersonJointure\"><value>%u</value></attr>\n"
             "<attr name=\"sn\"><value>NOM%u</value></attr>\n<attr name=\"givenName\"><value>Prénom</value></attr>\n"
             "<attr name=\"ENTEleveEnseignements\"><value>ANGLAIS LV1</value><value>EDUCATION PHYSIQUE ET SPORTIVE</value>"
             "<value>FRANCAIS</value><value>MATHEMATIQUES</value><value>HISTOIRE-GEOGRAPHIE</value></attr>\n"
             "<attr name=\"ENTEleveClasses\"><value>61001$6 A</value></attr>\n"
             "</attributes>\n</addRequest>\n",
             i, i, i);
  fputs ("</ficAlimMENESR>\n", f);
  fclose (f);
}

static gboolean
count_record (const SesameAafRecord *record,
              gpointer               user_data,
              GError               **error)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static glong
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static void
test_constant_memory (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "big.xml", NULL);
  g_autoptr(GError) error = NULL;
  guint64 bytes = 0;
  guint records = 0;
  glong before;

  write_big_file (path, 60000);
  before = peak_rss_kb ();
  g_assert_true (sesame_aaf_read_file (path, count_record, NULL, &records, &bytes, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (records, ==, 60000);
  g_assert_cmpuint (bytes, >, 35 * 1000 * 1000);
  /* A 35 MB file is read within a few megabytes. */
  g_assert_cmpint (peak_rss_kb () - before, <, 8 * 1024);
  sesame_test_remove_tree (dir);
}

static void
test_cancelled (void)
{
  g_autofree char *dir = sesame_test_data_path ("aaf");
  g_autofree char *path = g_build_filename (dir, "college", "ENT_0741234A_Complet_20240901_Eleve_0000.xml", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint records = 0;

  g_cancellable_cancel (cancellable);
  g_assert_false (sesame_aaf_read_file (path, count_record, NULL, &records, NULL, cancellable, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_CANCELLED);
  g_assert_cmpuint (records, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add_func ("/sesame/aaf-reader/file-names", test_file_names);
  g_test_add_func ("/sesame/aaf-reader/utf8-without-declaration", test_utf8_without_declaration);
  g_test_add_func ("/sesame/aaf-reader/latin1-with-references", test_latin1_with_references);
  g_test_add_func ("/sesame/aaf-reader/latin9", test_latin9);
  g_test_add_func ("/sesame/aaf-reader/crlf", test_crlf);
  g_test_add_func ("/sesame/aaf-reader/malformed-modification", test_malformed_modification);
  g_test_add_func ("/sesame/aaf-reader/forbidden-reference", test_forbidden_reference);
  g_test_add_func ("/sesame/aaf-reader/control-bytes", test_control_bytes);
  g_test_add_func ("/sesame/aaf-reader/entities", test_entities);
  g_test_add_func ("/sesame/aaf-reader/latin1-undeclared", test_latin1_undeclared);
  g_test_add_func ("/sesame/aaf-reader/truncated", test_truncated);
  g_test_add_func ("/sesame/aaf-reader/empty", test_empty);
  g_test_add_func ("/sesame/aaf-reader/missing-file", test_missing_file);
  g_test_add_func ("/sesame/aaf-reader/no-external-entities", test_no_external_entities);
  g_test_add_func ("/sesame/aaf-reader/recovered-xml-error", test_recovered_xml_error);
  g_test_add_func ("/sesame/aaf-reader/samples", test_samples);
  g_test_add_func ("/sesame/aaf-reader/filter-blocks", test_filter_blocks);
  g_test_add_func ("/sesame/aaf-reader/constant-memory", test_constant_memory);
  g_test_add_func ("/sesame/aaf-reader/cancelled", test_cancelled);

  return g_test_run ();
}
