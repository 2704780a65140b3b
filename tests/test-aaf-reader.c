/* test-aaf-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "sesame-aaf-filter-private.h"
#include "sesame-aaf-reader-private.h"
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

/* Reads bytes written here under the file name given; the error, if any,
 * is returned in error. */
static Collected *
read_bytes (const char  *name,
            const void  *data,
            gsize        len,
            GError     **error)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  Collected *collected = collected_new ();

  g_assert_true (g_file_set_contents (path, data, len, NULL));
  sesame_aaf_read_file (path, collect_record, collect_warning, collected, NULL, NULL, error);
  sesame_test_remove_tree (dir);
  return collected;
}

#define PUPIL(id) \
  "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n" \
  "<identifier><id>" id "</id></identifier><attributes><attr name=\"sn\"><value>NOM " id "</value></attr></attributes></addRequest>\n"
#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ficAlimMENESR>\n"

static void
assert_error_has (const GError *error,
                  const char   *first,
                  const char   *second)
{
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  if (strstr (error->message, first) == NULL || (second != NULL && strstr (error->message, second) == NULL))
    g_error ("“%s” does not say “%s” and “%s”", error->message, first, second ? second : "");
  /* Never mistaken for a file cut off while being copied. */
  g_assert_null (strstr (error->message, "cut off"));
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

/* Anything after the root element is refused, naming where: records past
 * a stray </ficAlimMENESR> would be lost, and a complete export read in
 * part would mark the rest as having left. */
static void
test_after_root (void)
{
  static const struct
  {
    const char *name;
    const char *xml;
    const char *where;
  } cases[] = {
    { "stray-end.xml", HEAD PUPIL ("A") "</ficAlimMENESR>\n" PUPIL ("B") "</ficAlimMENESR>\n",
      "at line 6 after its root element <ficAlimMENESR> ended at line 5" },
    { "stray-in-record.xml",
      HEAD PUPIL ("A")
      "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n"
      "<identifier><id>B</id></identifier><attributes><attr name=\"sn\"><value>NOM B</value></attr>\n"
      "</ficAlimMENESR>\n"
      "</attributes></addRequest>\n" PUPIL ("C") "</ficAlimMENESR>\n",
      "at line 8 after its root element <ficAlimMENESR> ended at line 7" },
    { "concatenated.xml", HEAD PUPIL ("A") "</ficAlimMENESR>\n" HEAD PUPIL ("B") "</ficAlimMENESR>\n",
      "at line 6 after its root element <ficAlimMENESR> ended at line 5" },
    { "second-root.xml", HEAD PUPIL ("A") "</ficAlimMENESR>\n\n<ficAlimMENESR>\n" PUPIL ("B") "</ficAlimMENESR>\n",
      "at line 7 after its root element <ficAlimMENESR> ended at line 5" },
    { "trailing-text.xml", HEAD PUPIL ("A") "</ficAlimMENESR>\n  B\n", "at line 6" },
    { "empty-root.xml", "<ficAlimMENESR/>\n" PUPIL ("A"), "at line 2 after its root element <ficAlimMENESR> ended at line 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(Collected) collected = read_bytes (cases[i].name, cases[i].xml, strlen (cases[i].xml), &error);

      assert_error_has (error, cases[i].name, cases[i].where);
      g_assert_nonnull (strstr (error->message, "two exports"));
      /* Nothing past the end of the root is handed out. */
      for (guint r = 0; r < collected->records->len; r++)
        g_assert_cmpstr (sesame_aaf_record_get_id (record_at (collected, r)), ==, "A");
    }
}

/* Comments and blanks may follow the root element; a stray end tag of
 * another element inside it is skipped, not taken for the root's. */
static void
test_after_root_allowed (void)
{
  g_autoptr(Collected) trailing = read_text ("trailing.xml", HEAD PUPIL ("A") "</ficAlimMENESR>\n<!-- fin -->\n\n  \n");
  g_autoptr(Collected) stray = read_text ("stray.xml", HEAD PUPIL ("A") "</addRequest>\n" PUPIL ("B") "</ficAlimMENESR>\n");

  g_assert_cmpuint (trailing->records->len, ==, 1);
  g_assert_cmpuint (trailing->warnings->len, ==, 0);

  g_assert_cmpuint (stray->records->len, ==, 2);
  g_assert_cmpstr (sesame_aaf_record_get_id (record_at (stray, 1)), ==, "B");
  g_assert_true (has_warning (stray, "stray.xml:5:", "</addRequest> closes nothing"));
}

/* What libxml2 gives up on stops the reading there, with the line. */
static void
test_parser_stops (void)
{
  const char *xml = HEAD PUPIL ("A") "<!DOCTYPE x>\n" PUPIL ("B") "</ficAlimMENESR>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_bytes ("stops.xml", xml, strlen (xml), &error);

  assert_error_has (error, "stops.xml", "cannot be read past line 5");
  g_assert_cmpuint (collected->records->len, ==, 1);
}

static void
test_not_aaf_root (void)
{
  const char *xml = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><item/></channel></rss>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = read_bytes ("feed.xml", xml, strlen (xml), &error);

  assert_error_has (error, "feed.xml", "root element at line 2 is <rss>");
  g_assert_cmpuint (collected->records->len, ==, 0);
}

static void
assert_same_records (Collected *expected,
                     Collected *actual)
{
  g_assert_cmpuint (actual->records->len, ==, expected->records->len);
  for (guint r = 0; r < expected->records->len; r++)
    {
      const SesameAafRecord *a = record_at (expected, r), *b = record_at (actual, r);

      g_assert_cmpstr (sesame_aaf_record_get_id (b), ==, sesame_aaf_record_get_id (a));
      g_assert_cmpint (sesame_aaf_record_get_kind (b), ==, sesame_aaf_record_get_kind (a));
      g_assert_cmpuint (sesame_aaf_record_get_line (b), ==, sesame_aaf_record_get_line (a));
      g_assert_cmpuint (sesame_aaf_record_get_n_attributes (b), ==, sesame_aaf_record_get_n_attributes (a));
      for (guint i = 0; i < sesame_aaf_record_get_n_attributes (a); i++)
        {
          const char * const *va = sesame_aaf_record_get_attribute_values (a, i);
          const char * const *vb = sesame_aaf_record_get_attribute_values (b, i);

          g_assert_cmpstr (sesame_aaf_record_get_attribute_name (b, i), ==, sesame_aaf_record_get_attribute_name (a, i));
          g_assert_cmpstrv (vb, va);
        }
    }
}

/* UTF-16 and UTF-32, with or without a byte-order mark, in both byte
 * orders, read as their UTF-8 original, declaration or not. */
static void
test_utf16 (void)
{
  static const struct
  {
    const char *encoding;
    const char *bom;
    gsize       bom_len;
    const char *declared;
  } cases[] = {
    { "UTF-16LE", "\xFF\xFE", 2, NULL },
    { "UTF-16BE", "\xFE\xFF", 2, NULL },
    { "UTF-16LE", "", 0, "UTF-16" },
    { "UTF-16BE", "", 0, "UTF-16" },
    { "UTF-16LE", "\xFF\xFE", 2, "UTF-16" },
    { "UTF-16BE", "\xFE\xFF", 2, "utf-16" },
    { "UTF-16LE", "", 0, NULL },
    { "UTF-16BE", "", 0, NULL },
    { "UTF-32LE", "\xFF\xFE\0\0", 4, "UTF-32" },
    { "UTF-32BE", "", 0, NULL },
  };
  g_autofree char *dir = sesame_test_data_path ("aaf");
  g_autofree char *path = g_build_filename (dir, "college", "ENT_0741234A_Complet_20240901_PersRelEleve_0000.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) expected = collected_new ();
  g_autofree char *latin1 = NULL;
  g_autofree char *utf8 = NULL;
  gsize len;

  /* The ISO-8859-1 fixture, with character references, as UTF-8. */
  g_assert_true (sesame_aaf_read_file (path, collect_record, collect_warning, expected, NULL, NULL, &error));
  g_assert_cmpuint (expected->records->len, ==, 5);
  g_assert_true (g_file_get_contents (path, &latin1, &len, NULL));
  utf8 = g_convert (latin1, len, "UTF-8", "ISO-8859-1", NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) text = g_string_new (utf8);
      g_autofree char *converted = NULL;
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      g_autoptr(Collected) collected = NULL;
      g_autoptr(GError) local_error = NULL;
      gsize converted_len = 0;

      if (cases[i].declared != NULL)
        g_string_replace (text, "ISO-8859-1", cases[i].declared, 1);
      else
        g_string_replace (text, " encoding=\"ISO-8859-1\"", "", 1);
      converted = g_convert (text->str, text->len, cases[i].encoding, "UTF-8", NULL, &converted_len, &local_error);
      g_assert_no_error (local_error);
      g_byte_array_append (bytes, (const guint8 *) cases[i].bom, cases[i].bom_len);
      g_byte_array_append (bytes, (const guint8 *) converted, converted_len);

      collected = read_bytes ("wide.xml", bytes->data, bytes->len, &local_error);
      g_assert_no_error (local_error);
      assert_same_records (expected, collected);
      g_assert_cmpuint (collected->warnings->len, ==, 0);
    }
}

/* The same UTF-8 whatever the size of the blocks read: code units and
 * surrogate pairs cut between two blocks. */
static void
test_utf16_blocks (void)
{
  const char *utf8 = "<r>\n<v>L\xc3\xa9""a \xf0\x9f\x98\x80 \xc5\x93</v>\n</r>\n";
  g_autofree char *utf16 = NULL;
  gsize len = 0;

  utf16 = g_convert (utf8, -1, "UTF-16BE", "UTF-8", NULL, &len, NULL);
  g_assert_nonnull (utf16);
  for (gsize step = 1; step <= 9; step++)
    {
      FilterCount count = { 0 };
      SesameAafFilter *filter = _sesame_aaf_filter_new (count_filter_warning, &count);
      g_autoptr(GByteArray) out = g_byte_array_new ();

      for (gsize i = 0; i < len; i += step)
        _sesame_aaf_filter_feed (filter, (const guint8 *) utf16 + i, MIN (step, len - i), out);
      _sesame_aaf_filter_finish (filter, out);
      g_assert_cmpint (_sesame_aaf_filter_get_fault (filter, NULL, NULL, NULL), ==, SESAME_AAF_FAULT_NONE);
      g_assert_cmpstr (_sesame_aaf_filter_get_encoding (filter), ==, "UTF-16BE");
      _sesame_aaf_filter_free (filter);
      g_byte_array_append (out, (const guint8 *) "", 1);
      g_assert_cmpstr ((const char *) out->data, ==, utf8);
      g_assert_cmpuint (count.warnings, ==, 0);
    }
}

/* A lone surrogate is not a character: replaced, and said. */
static void
test_utf16_invalid (void)
{
  const char *head = "<ficAlimMENESR><addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value>"
                     "</attr></operationalAttributes><identifier><id>A</id></identifier><attributes><attr name=\"sn\"><value>X";
  const char *tail = "Y</value></attr></attributes></addRequest></ficAlimMENESR>\n";
  g_autofree char *head16 = NULL, *tail16 = NULL;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(Collected) collected = NULL;
  g_autoptr(GError) error = NULL;
  gsize head_len = 0, tail_len = 0;

  head16 = g_convert (head, -1, "UTF-16LE", "UTF-8", NULL, &head_len, NULL);
  tail16 = g_convert (tail, -1, "UTF-16LE", "UTF-8", NULL, &tail_len, NULL);
  g_byte_array_append (bytes, (const guint8 *) head16, head_len);
  g_byte_array_append (bytes, (const guint8 *) "\x00\xD8", 2);
  g_byte_array_append (bytes, (const guint8 *) tail16, tail_len);

  collected = read_bytes ("surrogate.xml", bytes->data, bytes->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (collected->records->len, ==, 1);
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 0), "sn"), ==, "X\xEF\xBF\xBDY");
  g_assert_true (has_warning (collected, "surrogate.xml:1:", "0xD800"));
}

/* Files that are not XML are said to be so, never "cut off". */
static void
test_binary (void)
{
  static const struct
  {
    const char *name;
    const char *data;
    gsize       len;
    const char *says;
  } cases[] = {
    { "image.xml", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10<x>", sizeof "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10<x>" - 1, "is not an AAF XML file" },
    { "archive.xml", "PK\x03\x04\x14\0\0\0\x08\0<ficAlimMENESR>", sizeof "PK\x03\x04\x14\0\0\0\x08\0<ficAlimMENESR>" - 1, "is a ZIP archive" },
    { "compressed.xml", "\x1f\x8b\x08\0\0\0\0\0\0\x03<", sizeof "\x1f\x8b\x08\0\0\0\0\0\0\x03<" - 1, "compressed with gzip" },
    { "document.xml", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>>\n", sizeof "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>>\n" - 1, "is not an AAF XML file" },
    { "nul.xml", "<ficAlimMENESR>\0\0\0\x01\x02<a>", sizeof "<ficAlimMENESR>\0\0\0\x01\x02<a>" - 1, "is not an AAF XML file" },
    { "text.xml", "Bonjour,\nvoici le fichier.\n", sizeof "Bonjour,\nvoici le fichier.\n" - 1, "is not an AAF XML file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(Collected) collected = read_bytes (cases[i].name, cases[i].data, cases[i].len, &error);

      assert_error_has (error, cases[i].name, cases[i].says);
      g_assert_cmpuint (collected->records->len, ==, 0);
    }
}

static void
test_unsupported_encoding (void)
{
  /* "<?xml version="1.0" encoding="IBM037"?>" in EBCDIC. */
  static const guint8 ebcdic[] = {
    0x4C, 0x6F, 0xA7, 0x94, 0x93, 0x40, 0xA5, 0x85, 0x99, 0xA2, 0x89, 0x96, 0x95, 0x7E, 0x7F, 0xF1,
    0x4B, 0xF0, 0x7F, 0x6F, 0x6E, 0x25,
  };
  const char *unknown = "<?xml version=\"1.0\" encoding=\"X-SESAME-8\"?>\n<ficAlimMENESR>\n" PUPIL ("A") "</ficAlimMENESR>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(Collected) first = read_bytes ("ebcdic.xml", ebcdic, sizeof ebcdic, &error);
  g_autoptr(Collected) second = read_bytes ("unknown.xml", unknown, strlen (unknown), &error2);

  assert_error_has (error, "ebcdic.xml", "unsupported encoding");
  assert_error_has (error2, "unknown.xml", "unsupported encoding");
  g_assert_nonnull (strstr (error2->message, "X-SESAME-8"));
  g_assert_cmpuint (second->records->len, ==, 0);
}

/* A file that says UTF-16 but is written in UTF-8 is read as UTF-8. */
static void
test_declared_utf16 (void)
{
  g_autoptr(Collected) collected =
    read_text ("mislabelled.xml", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<ficAlimMENESR>\n" PUPIL ("Lé") "</ficAlimMENESR>\n");

  g_assert_cmpuint (collected->records->len, ==, 1);
  g_assert_cmpstr (sesame_aaf_record_get_value (record_at (collected, 0), "sn"), ==, "NOM Lé");
  g_assert_true (has_warning (collected, "mislabelled.xml:1:", "UTF-16"));
}

/* Elements nested deeper than an AAF file ever does: refused at once,
 * whatever follows. */
static void
test_depth (void)
{
  g_autoptr(GString) xml = g_string_new (HEAD PUPIL ("A"));
  g_autoptr(GError) error = NULL;
  g_autoptr(Collected) collected = NULL;
  g_autofree char *where = NULL;

  g_string_append (xml, "<addRequest><identifier><id>B</id></identifier><attributes><attr name=\"sn\"><value>\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append (xml, "<b>");
  g_string_append (xml, "\n</value></attr></attributes></addRequest>\n</ficAlimMENESR>\n");

  collected = read_bytes ("deep.xml", xml->str, xml->len, &error);
  where = g_strdup_printf ("more than %u deep at line 6", SESAME_AAF_MAX_DEPTH);
  assert_error_has (error, "deep.xml", where);
  for (guint r = 0; r < collected->records->len; r++)
    g_assert_cmpstr (sesame_aaf_record_get_id (record_at (collected, r)), ==, "A");
}

static void
test_long_tag (void)
{
  g_autoptr(GString) xml = g_string_new (HEAD PUPIL ("A") "<addRequest");
  g_autoptr(GString) end = g_string_new (HEAD PUPIL ("A") "</addRequest");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) end_error = NULL;
  g_autoptr(Collected) collected = NULL;
  g_autoptr(Collected) end_collected = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (xml, " a%u=\"x\"", i);
  g_string_append (xml, ">\n</addRequest>\n</ficAlimMENESR>\n");
  collected = read_bytes ("tag.xml", xml->str, xml->len, &error);
  assert_error_has (error, "tag.xml", "a tag longer than");
  g_assert_nonnull (strstr (error->message, "at line 5"));

  for (guint i = 0; i < 20000; i++)
    g_string_append (end, "xyz");
  end_collected = read_bytes ("end-tag.xml", end->str, end->len, &end_error);
  assert_error_has (end_error, "end-tag.xml", "a tag longer than");
}

/* A value is cut at a bound, between two characters, and the cut is said
 * with the record, the attribute and the line. */
static void
test_long_value (void)
{
  g_autoptr(GString) xml = g_string_new (HEAD);
  g_autoptr(Collected) collected = NULL;
  const SesameAafRecord *record;
  const char *address;

  g_string_append (xml,
                   "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>PersRelEleve</value></attr></operationalAttributes>\n"
                   "<identifier><id>R1</id></identifier><attributes>\n<attr name=\"ENTPersonAdresse\"><value>x");
  for (guint i = 0; i < 500000; i++)
    g_string_append (xml, "é");
  g_string_append (xml, "</value></attr>\n<attr name=\"sn\"><value>");
  for (guint i = 0; i < 300; i++)
    g_string_append (xml, "É");
  g_string_append (xml, "</value></attr>\n<attr name=\"givenName\"><value>Anne</value></attr>\n"
                        "</attributes></addRequest>\n" PUPIL ("B") "</ficAlimMENESR>\n");

  collected = read_text ("long.xml", xml->str);
  g_assert_cmpuint (collected->records->len, ==, 2);
  record = record_at (collected, 0);

  address = sesame_aaf_record_get_value (record, "ENTPersonAdresse");
  g_assert_true (g_utf8_validate (address, -1, NULL));
  g_assert_cmpuint (strlen (address), <=, 4096);
  g_assert_cmpuint (strlen (address), >=, 4090);
  g_assert_true (has_warning (collected, "long.xml:5:", "ENTPersonAdresse in the record R1 is 1.0"));

  /* A name of 300 characters: 256 are kept. */
  g_assert_cmpint (g_utf8_strlen (sesame_aaf_record_get_value (record, "sn"), -1), ==, 256);
  g_assert_true (has_warning (collected, "long.xml:6:", "sn in the record R1 is 300 characters long"));
  g_assert_cmpstr (sesame_aaf_record_get_value (record, "givenName"), ==, "Anne");
  g_assert_cmpstr (sesame_aaf_record_get_id (record_at (collected, 1)), ==, "B");
}

/* A key cut short would name someone else: the record is skipped. */
static void
test_long_id (void)
{
  g_autoptr(GString) xml = g_string_new (HEAD);
  g_autoptr(Collected) collected = NULL;

  g_string_append (xml, "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n<identifier><id>");
  for (guint i = 0; i < 1000; i++)
    g_string_append (xml, "K");
  g_string_append (xml, "</id></identifier><attributes><attr name=\"sn\"><value>X</value></attr></attributes></addRequest>\n"
                        PUPIL ("B") "</ficAlimMENESR>\n");

  collected = read_text ("long-id.xml", xml->str);
  g_assert_cmpuint (collected->records->len, ==, 1);
  g_assert_cmpstr (sesame_aaf_record_get_id (record_at (collected, 0)), ==, "B");
  g_assert_true (has_warning (collected, "long-id.xml:3:", "identifier longer than 256 bytes"));
}

/* A record holds a bounded number of values; the rest is left out, and
 * the record is still read. */
static void
test_huge_record (void)
{
  g_autoptr(GString) xml = g_string_new (HEAD);
  g_autoptr(Collected) collected = NULL;
  const SesameAafRecord *record;
  guint parts;

  g_string_append (xml, "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>PersEducNat</value></attr></operationalAttributes>\n"
                        "<identifier><id>T1</id></identifier><attributes>\n<attr name=\"sn\"><value>ROCHE</value></attr>\n"
                        "<attr name=\"ENTAuxEnsClasses\">\n");
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (xml, "<value>S1$%u</value>\n", i);
  g_string_append (xml, "</attr>\n<attr name=\"givenName\"><value>Hélène</value></attr>\n</attributes></addRequest>\n"
                        PUPIL ("B") "</ficAlimMENESR>\n");

  collected = read_text ("huge.xml", xml->str);
  g_assert_cmpuint (collected->records->len, ==, 2);
  record = record_at (collected, 0);
  g_assert_cmpstr (sesame_aaf_record_get_value (record, "sn"), ==, "ROCHE");
  parts = g_strv_length ((char **) sesame_aaf_record_get_values (record, "ENTAuxEnsClasses"));
  g_assert_cmpuint (parts, >, 3000);
  g_assert_cmpuint (parts, <, 4096);
  g_assert_null (sesame_aaf_record_get_values (record, "givenName"));
  g_assert_true (has_warning (collected, "huge.xml:", "the record T1 holds more than an AAF record can"));
  g_assert_cmpstr (sesame_aaf_record_get_id (record_at (collected, 1)), ==, "B");
}

/* Warnings of one kind are counted past a bound: a file of millions of
 * faults does not make millions of messages. */
static void
test_warnings_bounded (void)
{
  g_autoptr(GString) xml = g_string_new (HEAD);
  g_autoptr(Collected) collected = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append (xml, "<junk/>\n");
  g_string_append (xml, PUPIL ("A") "</ficAlimMENESR>\n");
  collected = read_text ("junk.xml", xml->str);
  g_assert_cmpuint (collected->records->len, ==, 1);
  g_assert_cmpuint (collected->warnings->len, ==, 21);
  g_assert_true (has_warning (collected, "junk.xml:23:", "4980 more warnings"));
}

/* libxml2 keeps every name it meets: a file of endless new names is not
 * an AAF file, and is refused before it fills memory. */
static void
test_many_names (void)
{
  g_autoptr(GString) xml = g_string_new (HEAD PUPIL ("A"));
  g_autoptr(GString) attributes = g_string_new (HEAD PUPIL ("A"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) attributes_error = NULL;
  g_autoptr(Collected) collected = NULL;
  g_autoptr(Collected) attributes_collected = NULL;

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (xml, "<e%u/>\n", i);
  g_string_append (xml, "</ficAlimMENESR>\n");
  collected = read_bytes ("names.xml", xml->str, xml->len, &error);
  assert_error_has (error, "names.xml", "different element and attribute names");

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (attributes, "<x a%u=\"1\"/>\n", i);
  g_string_append (attributes, "</ficAlimMENESR>\n");
  attributes_collected = read_bytes ("attributes.xml", attributes->str, attributes->len, &attributes_error);
  assert_error_has (attributes_error, "attributes.xml", "different element and attribute names");
}

static void
assert_all_utf8 (Collected    *collected,
                 const GError *error)
{
  for (guint r = 0; r < collected->records->len; r++)
    {
      const SesameAafRecord *record = record_at (collected, r);

      for (guint a = 0; a < sesame_aaf_record_get_n_attributes (record); a++)
        for (const char * const *v = sesame_aaf_record_get_attribute_values (record, a); *v != NULL; v++)
          g_assert_true (g_utf8_validate (*v, -1, NULL));
    }
  for (guint w = 0; w < collected->warnings->len; w++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (collected->warnings, w), -1, NULL));
  if (error != NULL)
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* Whatever bytes a file holds, what the reader hands out is UTF-8: values,
 * warnings that quote the file, and errors. */
static void
test_always_utf8 (void)
{
  const char *latin9 =
    "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>\n<ficAlimMENESR>\n"
    "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n"
    "<identifier><id>A</id></identifier><attributes><J\xBC""attr name=\"sn\"><value>C\xBCUR</value></attr></attributes></addRequest>\n"
    "</ficAlimMENESR>\n";
  const char *cut = HEAD PUPIL ("A") "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr>"
                    "</operationalAttributes>\n<identifier><id>B</id></identifier><attributes><sn\xE9";
  const char *broken =
    "<?xml vers1.{ion=\"1.0\" encoding=\"ISO-8859-15\"?>\n<ficAlimMENESR>\n"
    "<addRequest><operationalAttributes><attr name=\"categoriePersonne\"><value>Eleve</value></attr></operationalAttributes>\n"
    "<identifier><id>A</id></identifier><attributes><attr name=\"sn\"><value>COLL\xC8GE \xC9""CRINS</value></attr></attributes></addRequest>\n"
    "</ficAlimMENESR>\n";
  const char *declaration = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>";
  const char *root = "<?xml vers1.{ion=\"1.0\" encoding=\"ISO-8859-15\"?>\n<ficAlim\xC3MENESR>\n</ficAlim\xC3MENESR>\n";
  const char *samples[] = { latin9, cut, broken, declaration, root };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(Collected) collected = read_bytes ("bytes.xml", samples[i], strlen (samples[i]), &error);

      assert_all_utf8 (collected, error);
    }
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

/* The encoding is decided on the first bytes alone, whatever the size of
 * the blocks read: a declaration that never ends is not looked for past
 * them. */
static void
test_head_blocks (void)
{
  g_autoptr(GString) input = g_string_new ("<?xml version=\"1.0\" <r>\n");
  g_autofree char *whole = NULL;
  guint whole_warnings = 0;

  for (guint i = 0; i < 200; i++)
    g_string_append (input, "<a b=\"c\"/>\n");
  g_string_append (input, "<?pi encoding=\"ISO-8859-15\"?><v>\xA4</v></r>\n");

  whole = filter_in_steps (input->str, input->len, &whole_warnings);
  for (gsize step = 1; step <= 2000; step = step * 3 + 1)
    {
      guint warnings = 0;
      g_autofree char *output = filter_in_steps (input->str, step, &warnings);

      g_assert_cmpstr (output, ==, whole);
      g_assert_cmpuint (warnings, ==, whole_warnings);
    }
  /* Read as UTF-8: ¤ (0xA4) is mended. */
  g_assert_nonnull (strstr (whole, "<v>\xC2\xA4</v>"));
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
  g_test_add_func ("/sesame/aaf-reader/after-root", test_after_root);
  g_test_add_func ("/sesame/aaf-reader/after-root-allowed", test_after_root_allowed);
  g_test_add_func ("/sesame/aaf-reader/parser-stops", test_parser_stops);
  g_test_add_func ("/sesame/aaf-reader/not-aaf-root", test_not_aaf_root);
  g_test_add_func ("/sesame/aaf-reader/utf16", test_utf16);
  g_test_add_func ("/sesame/aaf-reader/utf16-blocks", test_utf16_blocks);
  g_test_add_func ("/sesame/aaf-reader/utf16-invalid", test_utf16_invalid);
  g_test_add_func ("/sesame/aaf-reader/binary", test_binary);
  g_test_add_func ("/sesame/aaf-reader/unsupported-encoding", test_unsupported_encoding);
  g_test_add_func ("/sesame/aaf-reader/declared-utf16", test_declared_utf16);
  g_test_add_func ("/sesame/aaf-reader/depth", test_depth);
  g_test_add_func ("/sesame/aaf-reader/long-tag", test_long_tag);
  g_test_add_func ("/sesame/aaf-reader/long-value", test_long_value);
  g_test_add_func ("/sesame/aaf-reader/long-id", test_long_id);
  g_test_add_func ("/sesame/aaf-reader/huge-record", test_huge_record);
  g_test_add_func ("/sesame/aaf-reader/warnings-bounded", test_warnings_bounded);
  g_test_add_func ("/sesame/aaf-reader/many-names", test_many_names);
  g_test_add_func ("/sesame/aaf-reader/always-utf8", test_always_utf8);
  g_test_add_func ("/sesame/aaf-reader/head-blocks", test_head_blocks);
  g_test_add_func ("/sesame/aaf-reader/samples", test_samples);
  g_test_add_func ("/sesame/aaf-reader/filter-blocks", test_filter_blocks);
  g_test_add_func ("/sesame/aaf-reader/constant-memory", test_constant_memory);
  g_test_add_func ("/sesame/aaf-reader/cancelled", test_cancelled);

  return g_test_run ();
}
