/* test-demo-directory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <string.h>

#include "sesame-credentials-private.h"
#include "sesame.h"
#include "sesame-accounts-private.h"
#include "sesame-demo-directory-private.h"
#include "sesame-store-grower.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

/* One record: its category, its id, and attribute → values (NULL for an
 * empty value). */
typedef struct
{
  char       *category;
  char       *id;
  GHashTable *attrs;
} Record;

static void
record_free (Record *record)
{
  g_free (record->category);
  g_free (record->id);
  g_hash_table_unref (record->attrs);
  g_free (record);
}

static const xmlNode *
child_element (const xmlNode *node,
               const char    *name)
{
  for (const xmlNode *child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE && g_str_equal ((const char *) child->name, name))
      return child;
  return NULL;
}

static char *
node_text (const xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strdup ((const char *) content);

  xmlFree (content);
  return text;
}

static GPtrArray *
attr_values (const xmlNode *attr)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);

  for (const xmlNode *value = attr->children; value != NULL; value = value->next)
    if (value->type == XML_ELEMENT_NODE)
      {
        char *text = node_text (value);

        g_assert_cmpstr ((const char *) value->name, ==, "value");
        if (*text == '\0')
          g_clear_pointer (&text, g_free);
        g_ptr_array_add (values, text);
      }
  return values;
}

/* Parses a file as the importer will (no network, no DTD), asserting that
 * it is well-formed and shaped as an AAF export. */
static GPtrArray *
parse_file (const char *path)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  xmlDoc *doc = xmlReadFile (path, NULL, XML_PARSE_NONET);
  const xmlNode *root;

  g_assert_nonnull (doc);
  root = xmlDocGetRootElement (doc);
  g_assert_cmpstr ((const char *) root->name, ==, "ficAlimMENESR");
  g_assert_nonnull (doc->intSubset);
  g_assert_cmpstr ((const char *) doc->intSubset->SystemID, ==, "ficAlimMENESR.dtd");

  for (const xmlNode *node = root->children; node != NULL; node = node->next)
    {
      const xmlNode *operational, *identifier, *attributes;
      Record *record;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      g_assert_cmpstr ((const char *) node->name, ==, "addRequest");

      operational = child_element (node, "operationalAttributes");
      identifier = child_element (node, "identifier");
      attributes = child_element (node, "attributes");
      g_assert_nonnull (operational);
      g_assert_nonnull (identifier);
      g_assert_nonnull (attributes);

      record = g_new0 (Record, 1);
      record->category = node_text (child_element (operational, "attr"));
      record->id = node_text (child_element (identifier, "id"));
      record->attrs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
      for (const xmlNode *attr = attributes->children; attr != NULL; attr = attr->next)
        {
          xmlChar *name;

          if (attr->type != XML_ELEMENT_NODE)
            continue;
          name = xmlGetProp (attr, (const xmlChar *) "name");
          g_assert_nonnull (name);
          g_assert_false (g_hash_table_contains (record->attrs, name));
          g_hash_table_insert (record->attrs, g_strdup ((const char *) name), attr_values (attr));
          xmlFree (name);
        }
      g_ptr_array_add (records, record);
    }

  xmlFreeDoc (doc);
  return records;
}

static const char *
first_value (const Record *record,
             const char   *name)
{
  GPtrArray *values = g_hash_table_lookup (record->attrs, name);

  return values != NULL && values->len > 0 ? g_ptr_array_index (values, 0) : NULL;
}

static GPtrArray *
values_of (const Record *record,
           const char   *name)
{
  GPtrArray *values = g_hash_table_lookup (record->attrs, name);

  g_assert_nonnull (values);
  return values;
}

static gboolean
uai_is_valid (const char *uai)
{
  char digits[8];

  if (uai == NULL || strlen (uai) != 8)
    return FALSE;
  for (guint i = 0; i < 7; i++)
    if (!g_ascii_isdigit (uai[i]))
      return FALSE;
  g_strlcpy (digits, uai, sizeof digits);
  return uai[7] == _sesame_demo_uai_letter (digits);
}

static gboolean
date_is_valid (const char *date)
{
  guint day, month, year;

  return date != NULL && strlen (date) == 10 && date[2] == '/' && date[5] == '/' &&
         sscanf (date, "%2u/%2u/%4u", &day, &month, &year) == 3 &&
         g_date_valid_dmy (day, month, year);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The file names in a folder, sorted. */
static GPtrArray *
list_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static char *
kind_of (const char *name)
{
  g_autoptr(GRegex) regex = g_regex_new ("^(?:ENT_[0-9]{7}[A-Z]|FULL_ENTTSSERVICES)_Complet_20240902_"
                                         "(EtabEducNat|MatiereEducNat|PersEducNat|PersRelEleve|Eleve)_[0-9]{4}\\.xml$",
                                         0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (regex, name, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static const char *
category_of_kind (const char *kind)
{
  if (g_str_equal (kind, "EtabEducNat"))
    return "EtabEducNat";
  if (g_str_equal (kind, "MatiereEducNat"))
    return "MatEducNat";
  return kind;
}

/* Everything read back from a demo directory. */
typedef struct
{
  GHashTable *files_by_kind;   /* kind → number of files */
  GHashTable *records_by_kind; /* kind → number of records */
  GHashTable *pupils;          /* key → Record (borrowed from all) */
  GHashTable *parents;         /* key → Record */
  GHashTable *staff;
  GHashTable *establishments;  /* jointure → Record */
  GHashTable *parent_files;    /* "jointure key" of parents listed per establishment file */
  GPtrArray  *all;             /* owns every record */
} Directory;

static void
directory_clear (Directory *d)
{
  g_hash_table_unref (d->files_by_kind);
  g_hash_table_unref (d->records_by_kind);
  g_hash_table_unref (d->pupils);
  g_hash_table_unref (d->parents);
  g_hash_table_unref (d->staff);
  g_hash_table_unref (d->establishments);
  g_ptr_array_unref (d->all);
}

static void
bump (GHashTable *table,
      const char *key,
      guint       by)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (table, key));
  g_hash_table_insert (table, g_strdup (key), GUINT_TO_POINTER (n + by));
}

static guint
count_of (GHashTable *table,
          const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (table, key));
}

static void
read_directory (const char *folder,
                Directory  *d)
{
  g_autoptr(GPtrArray) names = list_folder (folder);

  d->files_by_kind = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  d->records_by_kind = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  d->pupils = g_hash_table_new (g_str_hash, g_str_equal);
  d->parents = g_hash_table_new (g_str_hash, g_str_equal);
  d->staff = g_hash_table_new (g_str_hash, g_str_equal);
  d->establishments = g_hash_table_new (g_str_hash, g_str_equal);
  d->all = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *kind = kind_of (name);
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autoptr(GPtrArray) records = NULL;

      /* Nothing else: no half-written ".part" file. */
      g_assert_nonnull (kind);
      bump (d->files_by_kind, kind, 1);

      records = parse_file (path);
      bump (d->records_by_kind, kind, records->len);
      for (guint r = 0; r < records->len; r++)
        {
          Record *record = g_ptr_array_index (records, r);
          GHashTable *table = NULL;
          const char *key_attr = "ENTPersonJointure";

          g_assert_cmpstr (record->category, ==, category_of_kind (kind));
          if (g_str_equal (kind, "Eleve"))
            table = d->pupils;
          else if (g_str_equal (kind, "PersRelEleve"))
            table = d->parents;
          else if (g_str_equal (kind, "PersEducNat"))
            table = d->staff;
          else if (g_str_equal (kind, "EtabEducNat"))
            {
              table = d->establishments;
              key_attr = "ENTStructureJointure";
            }
          else
            key_attr = "ENTMatJointure";

          /* The identifier is the directory key. */
          g_assert_cmpstr (record->id, ==, first_value (record, key_attr));
          if (table != NULL)
            g_hash_table_insert (table, record->id, record);
        }
      g_ptr_array_extend_and_steal (d->all, g_steal_pointer (&records));
    }
}

static char *
write_demo (const SesameDemoDirectoryOptions *options,
            SesameDemoDirectoryCounts        *counts)
{
  g_autoptr(GError) error = NULL;
  char *dir = sesame_test_make_tmpdir ();
  g_autofree char *folder = g_build_filename (dir, "aaf", NULL);

  g_assert_true (sesame_demo_directory_write_full (folder, options, counts, NULL, &error));
  g_assert_no_error (error);
  return dir;
}

static void
test_per_establishment (void)
{
  SesameDemoDirectoryOptions options;
  SesameDemoDirectoryCounts counts;
  g_autofree char *dir = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GHashTable) classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) principals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, data;
  guint parent_records, with_mail = 0, homonyms = 0, spaced_classes = 0, heads = 0;
  gboolean apostrophe = FALSE, accent = FALSE, space = FALSE, four_lines = FALSE;
  Directory d;

  sesame_demo_directory_options_init (&options);
  options.n_establishments = 4;
  options.n_pupils = 480;
  options.seed = 7;
  dir = write_demo (&options, &counts);
  folder = g_build_filename (dir, "aaf", NULL);
  read_directory (folder, &d);

  /* Five files per establishment, as the academy hands them out. */
  g_assert_cmpuint (counts.files, ==, 20);
  for (guint k = 0; k < 5; k++)
    {
      static const char * const kinds[] = { "EtabEducNat", "MatiereEducNat", "PersEducNat", "PersRelEleve", "Eleve" };
      g_assert_cmpuint (count_of (d.files_by_kind, kinds[k]), ==, 4);
    }
  g_assert_cmpuint (counts.establishments, ==, 4);
  g_assert_cmpuint (g_hash_table_size (d.establishments), ==, 4);
  g_assert_cmpuint (counts.pupils, ==, 480);
  g_assert_cmpuint (g_hash_table_size (d.pupils), ==, 480);
  g_assert_cmpuint (count_of (d.records_by_kind, "Eleve"), ==, 480);
  g_assert_cmpuint (g_hash_table_size (d.staff), ==, counts.staff);
  g_assert_cmpuint (g_hash_table_size (d.parents), ==, counts.parents);
  g_assert_cmpuint (count_of (d.records_by_kind, "MatiereEducNat"), ==, 4 * counts.subjects);

  /* Families with a child in each of two establishments: their parents are
   * in both files. */
  parent_records = count_of (d.records_by_kind, "PersRelEleve");
  g_assert_cmpuint (parent_records, >, g_hash_table_size (d.parents));

  g_hash_table_iter_init (&iter, d.establishments);
  while (g_hash_table_iter_next (&iter, &key, &data))
    {
      const Record *etab = data;
      GPtrArray *values = values_of (etab, "ENTStructureClasses");

      g_assert_true (uai_is_valid (first_value (etab, "ENTStructureUAI")));
      g_assert_cmpstr (first_value (etab, "ENTServAcAcademie"), ==, "GRENOBLE");
      for (guint i = 0; i < values->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (values, i), "$", 2);
          g_autofree char *klass = g_strdup_printf ("%s$%s", etab->id, parts[0]);

          g_hash_table_add (classes, g_steal_pointer (&klass));
          spaced_classes += strchr (parts[0], ' ') != NULL;
        }
    }
  /* "5e B" as well as "5B". */
  g_assert_cmpuint (spaced_classes, >, 0);
  g_assert_cmpuint (spaced_classes, <, g_hash_table_size (classes));

  g_hash_table_iter_init (&iter, d.pupils);
  while (g_hash_table_iter_next (&iter, &key, &data))
    {
      const Record *pupil = data;
      const char *structure = first_value (pupil, "ENTPersonStructRattach");
      GPtrArray *guardians = values_of (pupil, "ENTElevePersRelEleve");
      const char *klass = first_value (pupil, "ENTEleveClasses");
      const char *first = first_value (pupil, "givenName");
      const char *last = first_value (pupil, "sn");
      g_autofree char *name = g_strdup_printf ("%s %s", first, last);

      g_assert_true (g_hash_table_contains (d.establishments, structure));
      g_assert_true (date_is_valid (first_value (pupil, "ENTPersonDateNaissance")));
      g_assert_true (g_hash_table_contains (classes, klass));
      g_assert_true (g_str_has_prefix (klass, structure));
      g_assert_nonnull (first);
      g_assert_nonnull (last);
      g_assert_cmpuint (guardians->len, >=, 1);

      if (g_hash_table_contains (names, name))
        homonyms++;
      g_hash_table_add (names, g_steal_pointer (&name));
      apostrophe |= strchr (last, '\'') != NULL;
      space |= strchr (last, ' ') != NULL || strchr (first, ' ') != NULL;
      accent |= !g_str_is_ascii (last) || !g_str_is_ascii (first);

      for (guint i = 0; i < guardians->len; i++)
        {
          g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (guardians, i), "$", -1);
          guint64 relationship;

          /* id$relationship$financial$legal$contact$payment */
          g_assert_cmpuint (g_strv_length (parts), ==, 6);
          g_assert_true (g_hash_table_contains (d.parents, parts[0]));
          g_assert_true (g_ascii_string_to_unsigned (parts[1], 10, 1, 99, &relationship, NULL));
          g_assert_true (relationship == 10 || relationship == 20 || relationship == 39 || relationship == 50);
          g_hash_table_add (links, g_strdup_printf ("%s %s", pupil->id, parts[0]));
        }
    }
  g_assert_cmpuint (g_hash_table_size (links), ==, counts.guardian_links);
  g_assert_cmpfloat ((double) counts.guardian_links / counts.pupils, >, 1.25);
  g_assert_cmpfloat ((double) counts.guardian_links / counts.pupils, <, 1.6);
  g_assert_cmpuint (homonyms, >, 0);
  g_assert_true (apostrophe);
  g_assert_true (space);
  g_assert_true (accent);

  g_hash_table_iter_init (&iter, d.parents);
  while (g_hash_table_iter_next (&iter, &key, &data))
    {
      const Record *parent = data;
      const char *mail = first_value (parent, "mail");
      const char *address = first_value (parent, "ENTPersonAdresse");

      if (mail != NULL)
        {
          with_mail++;
          g_assert_true (g_str_has_suffix (mail, "@example.org") || g_str_has_suffix (mail, "@example.net"));
        }
      g_assert_nonnull (address);
      if (strchr (address, '$') != NULL)
        {
          g_auto(GStrv) lines = g_strsplit (address, "$", -1);
          g_assert_cmpuint (g_strv_length (lines), ==, 4);
          four_lines = TRUE;
        }
      g_assert_nonnull (first_value (parent, "ENTPersonCodePostal"));
      g_assert_nonnull (first_value (parent, "ENTPersonVille"));
    }
  g_assert_true (four_lines);
  /* About 70 % of parents have an address. */
  g_assert_cmpfloat ((double) with_mail / g_hash_table_size (d.parents), >, 0.6);
  g_assert_cmpfloat ((double) with_mail / g_hash_table_size (d.parents), <, 0.8);

  g_hash_table_iter_init (&iter, d.staff);
  while (g_hash_table_iter_next (&iter, &key, &data))
    {
      const Record *staff = data;
      const char *functions = first_value (staff, "ENTPersonFonctions");
      GPtrArray *led = values_of (staff, "ENTAuxEnsClassesPrincipal");
      g_auto(GStrv) parts = g_strsplit (functions, "$", -1);

      g_assert_cmpuint (g_strv_length (parts), ==, 5);
      g_assert_cmpstr (parts[0], ==, first_value (staff, "ENTPersonStructRattach"));
      heads += g_str_equal (parts[1], "DIR");
      if (g_str_equal (parts[1], "ENS"))
        {
          g_assert_nonnull (first_value (staff, "ENTAuxEnsMatiereEnseignEtab"));
          g_assert_true (first_value (staff, "ENTAuxEnsClasses") != NULL ||
                         first_value (staff, "ENTAuxEnsGroupes") != NULL);
        }
      for (guint i = 0; i < led->len; i++)
        if (g_ptr_array_index (led, i) != NULL)
          {
            g_assert_true (g_hash_table_contains (classes, g_ptr_array_index (led, i)));
            g_assert_false (g_hash_table_contains (principals, g_ptr_array_index (led, i)));
            g_hash_table_add (principals, g_strdup (g_ptr_array_index (led, i)));
          }
    }
  /* One head per establishment, one main teacher per class. */
  g_assert_cmpuint (heads, ==, 4);
  g_assert_cmpuint (g_hash_table_size (principals), ==, g_hash_table_size (classes));

  directory_clear (&d);
  sesame_test_remove_tree (dir);
}

static void
test_academy_wide (void)
{
  SesameDemoDirectoryOptions options;
  SesameDemoDirectoryCounts wide_counts, per_counts;
  g_autofree char *wide_dir = NULL;
  g_autofree char *per_dir = NULL;
  g_autofree char *wide_folder = NULL;
  g_autofree char *per_folder = NULL;
  g_autoptr(GPtrArray) names = NULL;
  GHashTableIter iter;
  gpointer key;
  Directory wide, per;

  sesame_demo_directory_options_init (&options);
  options.n_establishments = 3;
  options.n_pupils = 300;
  options.seed = 11;
  options.chunk_records = 100;
  per_dir = write_demo (&options, &per_counts);
  options.flags = SESAME_DEMO_DIRECTORY_ACADEMY_WIDE;
  wide_dir = write_demo (&options, &wide_counts);

  wide_folder = g_build_filename (wide_dir, "aaf", NULL);
  per_folder = g_build_filename (per_dir, "aaf", NULL);
  read_directory (wide_folder, &wide);
  read_directory (per_folder, &per);

  /* Chunks of 100 records, numbered from 0000. */
  names = list_folder (wide_folder);
  for (guint i = 0; i < names->len; i++)
    g_assert_true (g_str_has_prefix (g_ptr_array_index (names, i), "FULL_ENTTSSERVICES_Complet_20240902_"));
  g_assert_true (g_file_test (wide_folder, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (count_of (wide.files_by_kind, "Eleve"), ==, 3);
  for (guint chunk = 0; chunk < 3; chunk++)
    {
      g_autofree char *name = g_strdup_printf ("FULL_ENTTSSERVICES_Complet_20240902_Eleve_%04u.xml", chunk);
      g_autofree char *path = g_build_filename (wide_folder, name, NULL);
      g_autoptr(GPtrArray) records = parse_file (path);

      g_assert_cmpuint (records->len, ==, 100);
    }
  g_assert_cmpuint (count_of (wide.files_by_kind, "EtabEducNat"), ==, 1);
  g_assert_cmpuint (count_of (wide.files_by_kind, "PersRelEleve"), ==, (wide_counts.parents + 99) / 100);

  /* Each guardian once, and the same academy as the per-establishment set. */
  g_assert_cmpuint (count_of (wide.records_by_kind, "PersRelEleve"), ==, wide_counts.parents);
  g_assert_cmpuint (wide_counts.parents, ==, per_counts.parents);
  g_assert_cmpuint (wide_counts.pupils, ==, 300);
  g_assert_cmpuint (wide_counts.staff, ==, per_counts.staff);
  g_assert_cmpuint (wide_counts.guardian_links, ==, per_counts.guardian_links);
  g_assert_cmpuint (g_hash_table_size (wide.parents), ==, g_hash_table_size (per.parents));
  g_hash_table_iter_init (&iter, per.pupils);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (wide.pupils, key));
  g_hash_table_iter_init (&iter, per.parents);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (wide.parents, key));

  directory_clear (&wide);
  directory_clear (&per);
  sesame_test_remove_tree (wide_dir);
  sesame_test_remove_tree (per_dir);
}

static void
assert_same_files (const char *a,
                   const char *b,
                   gboolean    same)
{
  g_autoptr(GPtrArray) names_a = list_folder (a);
  g_autoptr(GPtrArray) names_b = list_folder (b);
  gboolean all_same = TRUE;

  g_assert_cmpuint (names_a->len, ==, names_b->len);
  for (guint i = 0; i < names_a->len; i++)
    {
      g_autofree char *path_a = g_build_filename (a, g_ptr_array_index (names_a, i), NULL);
      g_autofree char *path_b = g_build_filename (b, g_ptr_array_index (names_b, i), NULL);
      g_autofree char *data_a = NULL;
      g_autofree char *data_b = NULL;
      gsize len_a, len_b;

      g_assert_true (g_file_get_contents (path_a, &data_a, &len_a, NULL));
      if (!g_file_get_contents (path_b, &data_b, &len_b, NULL) ||
          len_a != len_b || memcmp (data_a, data_b, len_a) != 0)
        all_same = FALSE;
    }
  g_assert_true (all_same == same);
}

static void
test_deterministic (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *one = g_build_filename (dir, "one", NULL);
  g_autofree char *two = g_build_filename (dir, "two", NULL);
  g_autofree char *other = g_build_filename (dir, "other", NULL);

  g_assert_true (sesame_demo_directory_write (one, 3, 250, 42, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_demo_directory_write (two, 3, 250, 42, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sesame_demo_directory_write (other, 3, 250, 43, NULL, &error));
  g_assert_no_error (error);

  assert_same_files (one, two, TRUE);
  assert_same_files (one, other, FALSE);
  sesame_test_remove_tree (dir);
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *folder = g_build_filename (dir, "aaf", NULL);
  g_autoptr(GPtrArray) names = NULL;
  SesameDemoDirectoryOptions options;

  g_assert_false (sesame_demo_directory_write (folder, 0, 10, 1, NULL, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  sesame_demo_directory_options_init (&options);
  options.date = "20241301";
  g_assert_false (sesame_demo_directory_write_full (folder, &options, NULL, NULL, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  /* Cancelled: nothing is left behind, not even a partial file. */
  g_cancellable_cancel (cancellable);
  g_assert_false (sesame_demo_directory_write (folder, 2, 100, 1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  names = list_folder (folder);
  g_assert_cmpuint (names->len, ==, 0);

  sesame_test_remove_tree (dir);
}

static guint
count_rows (SesameStore *store,
            const char  *sql)
{
  sqlite3_stmt *stmt = NULL;
  guint count;

  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

static guint
search_count (SesameStore *store,
              const char  *text,
              const char  *uai)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autoptr(GListModel) results = NULL;

  query->text = g_strdup (text);
  query->establishment = g_strdup (uai);
  query->limit = 1000;
  results = sesame_search_run (store, query, NULL, &error);
  g_assert_no_error (error);
  return g_list_model_get_n_items (results);
}

static void
test_clone_persons (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *password = NULL;
  SesameStore *store = sesame_test_fixture_store (dir);
  g_autoptr(SesamePerson) clone = NULL;
  g_autoptr(SesamePerson) original = NULL;
  guint persons = count_rows (store, "SELECT count(*) FROM persons");
  guint accounts = count_rows (store, "SELECT count(*) FROM accounts");
  guint dupont = search_count (store, "dupont", NULL);

  /* Two full copies and one person more. */
  g_assert_true (sesame_store_grower_clone_persons (store, 3 * persons + 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM persons"), ==, 3 * persons + 1);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM accounts"), >=, 3 * accounts);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM establishments"), ==, 2 * 4);
  g_assert_cmpuint (count_rows (store, "SELECT count(DISTINCT uai) FROM establishments"), ==, 2 * 4);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM persons_fts"), ==,
                    count_rows (store, "SELECT count(*) FROM persons"));
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM persons WHERE key GLOB '*-3'"), ==, 1);

  /* The copies keep their classes, guardians and last names. */
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM memberships WHERE person_key = 'P1-1'"
                                       " AND structure = '52006-1' AND code = '6A'"), ==, 1);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM guardians WHERE pupil_key = 'P1-2'"
                                       " AND parent_key = 'P5-2' AND legal = 1"), ==, 1);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM teachings WHERE person_key = 'S2-1'"
                                       " AND kind = 'principal' AND code = '6A'"), ==, 1);
  /* The third, partial copy holds the first person only: Éloïse Dupont. */
  g_assert_cmpuint (search_count (store, "dupont", NULL), ==, 3 * dupont + 1);

  /* Each establishment copy is a school of its own. */
  {
    g_autoptr(SesameEstablishment) copy = sesame_establishments_find (store, "52006-1", &error);
    char digits[8];

    g_assert_no_error (error);
    g_assert_cmpstr (copy->name, ==, "Collège Les Aravis");
    g_assert_cmpstr (copy->uai, !=, "0740017S");
    g_strlcpy (digits, copy->uai, sizeof digits);
    g_assert_cmpint (copy->uai[7], ==, _sesame_demo_uai_letter (digits));
    g_assert_cmpuint (search_count (store, NULL, copy->uai), ==, search_count (store, NULL, "0740017S"));
  }

  /* A copy has its own login, made from its own names, found by search;
   * a pupil copy has a pending first password, a staff copy none. */
  original = sesame_accounts_find_person (store, "P1", &error);
  g_assert_no_error (error);
  clone = sesame_accounts_find_person (store, "P1-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sesame_person_get_last_name (clone), ==, "Dupont");
  g_assert_cmpstr (sesame_person_get_login (clone), !=, sesame_person_get_login (original));
  {
    g_autofree char *expected = sesame_login_make (sesame_person_get_first_name (clone), "Dupont");
    g_assert_true (g_str_has_prefix (sesame_person_get_login (clone), expected));
  }
  g_assert_cmpuint (search_count (store, sesame_person_get_login (clone), NULL), >=, 1);
  password = _sesame_credentials_dup_first_password (store, "P1-1");
  g_assert_nonnull (password);
  g_assert_null (_sesame_credentials_dup_first_password (store, "S2-1"));

  /* Already large enough: nothing to do. */
  g_assert_true (sesame_store_grower_clone_persons (store, 10, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_rows (store, "SELECT count(*) FROM persons"), ==, 3 * persons + 1);

  g_assert_finalize_object (store);
  sesame_test_remove_tree (dir);
}

/* Every person of a profile, through the search the desks use. */
static GListModel *
search_profile (SesameStore   *store,
                SesameProfile  profile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  GListModel *results;

  query->profile = profile;
  query->limit = 100000;
  results = sesame_search_run (store, query, NULL, &error);
  g_assert_no_error (error);
  return results;
}

static void
test_import (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(SesameImportSummary) again = NULL;
  g_autoptr(GListModel) pupils = NULL;
  g_autoptr(GListModel) parents = NULL;
  g_autoptr(GListModel) teachers = NULL;
  g_autoptr(GListModel) others = NULL;
  g_autoptr(GHashTable) logins = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) files = NULL;
  SesameDemoDirectoryOptions options;
  SesameDemoDirectoryCounts counts;
  const char *paths[2] = { NULL, NULL };
  guint homonym_logins = 0, distributable;

  sesame_demo_directory_options_init (&options);
  options.n_establishments = 3;
  options.n_pupils = 450;
  options.seed = 5;
  dir = write_demo (&options, &counts);
  folder = g_build_filename (dir, "aaf", NULL);
  path = g_build_filename (dir, "sesame.db", NULL);
  paths[0] = folder;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  summary = sesame_import_run (store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);

  /* Everything is read, nothing needs a warning. */
  g_assert_cmpuint (summary->files, ==, counts.files);
  g_assert_cmpuint (summary->establishments, ==, 3);
  g_assert_cmpuint (summary->pupils, ==, counts.pupils);
  g_assert_cmpuint (summary->staff, ==, counts.staff);
  g_assert_cmpuint (summary->parents, >=, counts.parents);
  g_assert_cmpuint (summary->warnings->len, ==, 0);
  g_assert_cmpuint (summary->persons_created, ==, counts.pupils + counts.parents + counts.staff);
  g_assert_cmpuint (summary->persons_departed, ==, 0);
  distributable = counts.pupils + counts.parents;
  g_assert_cmpuint (summary->accounts_created, >=, distributable);
  g_assert_cmpuint (summary->identifier_files->len, >=, 1);

  /* Each person under the right profile, each pupil and guardian with a
   * login of their own; homonyms get a numbered one. */
  pupils = search_profile (store, SESAME_PROFILE_ELEVE);
  parents = search_profile (store, SESAME_PROFILE_PARENT);
  teachers = search_profile (store, SESAME_PROFILE_ENSEIGNANT);
  others = search_profile (store, SESAME_PROFILE_NON_ENSEIGNANT);
  g_assert_cmpuint (g_list_model_get_n_items (pupils), ==, counts.pupils);
  g_assert_cmpuint (g_list_model_get_n_items (parents), ==, counts.parents);
  g_assert_cmpuint (g_list_model_get_n_items (teachers) + g_list_model_get_n_items (others), ==, counts.staff);
  g_assert_cmpuint (g_list_model_get_n_items (others), >=, 3 * 5);
  for (guint m = 0; m < 2; m++)
    {
      GListModel *model = m == 0 ? pupils : parents;

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(SesamePerson) person = g_list_model_get_item (model, i);
          const char *login = sesame_person_get_login (person);

          g_assert_nonnull (login);
          g_assert_true (sesame_login_is_valid (login, NULL));
          g_assert_false (g_hash_table_contains (logins, login));
          g_hash_table_add (logins, (gpointer) g_intern_string (login));
          g_assert_cmpint (sesame_person_get_state (person), ==, SESAME_ACCOUNT_STATE_PENDING);
          homonym_logins += g_ascii_isdigit (login[strlen (login) - 1]);
        }
    }
  g_assert_cmpuint (homonym_logins, >, 0);

  /* The identifier files list the new accounts of every pupil and guardian. */
  files = sesame_identifier_files_list (store, &error);
  g_assert_no_error (error);
  {
    guint listed = 0;

    for (guint i = 0; i < files->len; i++)
      listed += ((SesameIdentifierFile *) g_ptr_array_index (files, i))->accounts;
    g_assert_cmpuint (listed, >=, distributable);
  }

  /* The same files again change nothing. */
  again = sesame_import_run (store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->persons_created, ==, 0);
  g_assert_cmpuint (again->persons_updated, ==, 0);
  g_assert_cmpuint (again->persons_departed, ==, 0);
  g_assert_cmpuint (again->accounts_created, ==, 0);

  g_clear_object (&store);
  sesame_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

  g_test_add_func ("/sesame/demo-directory/per-establishment", test_per_establishment);
  g_test_add_func ("/sesame/demo-directory/academy-wide", test_academy_wide);
  g_test_add_func ("/sesame/demo-directory/deterministic", test_deterministic);
  g_test_add_func ("/sesame/demo-directory/refused", test_refused);
  g_test_add_func ("/sesame/demo-directory/clone-persons", test_clone_persons);
  g_test_add_func ("/sesame/demo-directory/import", test_import);

  return g_test_run ();
}
