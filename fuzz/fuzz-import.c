/* fuzz-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target for the whole directory import: file names, the filter, the
 * reader, and what the records write into a fresh store (persons, links,
 * accounts, logins, departures, identifier files), then the identifier
 * files rendered from what was written.
 *
 * An input is up to eight AAF files separated by two form feeds ("\f\f",
 * never in XML). The first byte of each file picks its name (complete or
 * delta, per establishment or academy-wide, which kind, or a name that
 * says nothing), so that the order of kinds and the departures of a
 * complete export are reached too. Each input imports into a new store in
 * a scratch folder, removed afterwards: a crash replays from its file alone.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fuzz-common.h"
#include "sesame.h"

#define MAX_FILES 8

static const char * const file_names[] = {
  "ENT_0741234A_Complet_20240901_EtabEducNat_0000.xml",
  "ENT_0741234A_Complet_20240901_MatiereEducNat_0000.xml",
  "ENT_0741234A_Complet_20240901_PersEducNat_0000.xml",
  "ENT_0741234A_Complet_20240901_PersRelEleve_0000.xml",
  "ENT_0741234A_Complet_20240901_Eleve_0000.xml",
  "ENT_0741234A_Delta_20240915_Eleve_0000.xml",
  "FULL_ENTTEST_Complet_20240905_Eleve_0001.xml",
  "annuaire.xml",
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_identifier_files (SesameStore *store)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) establishments = sesame_establishments_list (store, NULL);

  /* One file per establishment, as the admin would ask for. */
  for (guint i = 0; establishments != NULL && i < establishments->len && i < 4; i++)
    {
      SesameEstablishment *establishment = g_ptr_array_index (establishments, i);
      g_autoptr(SesameIdentifierFile) file = NULL;

      file = sesame_identifier_files_generate (store, establishment->uai, 0, NULL);
      (void) file;
    }

  files = sesame_identifier_files_list (store, NULL);
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      SesameIdentifierFile *file = g_ptr_array_index (files, i);
      g_autoptr(GBytes) bytes = sesame_identifier_files_render (store, file->id, NULL);
      g_auto(GStrv) lines = NULL;
      g_autofree char *text = NULL;
      gsize len;
      const char *data;

      if (bytes == NULL)
        continue;
      data = g_bytes_get_data (bytes, &len);
      text = g_strndup (data, len);
      g_assert (strlen (text) == len);
      g_assert (g_utf8_validate (text, len, NULL));

      /* CRLF lines of 19 cells each: no value may add a cell or a line. */
      lines = g_strsplit (text, "\r\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          guint separators = 0;

          if (lines[l][0] == '\0' && lines[l + 1] == NULL)
            break;
          g_assert (strchr (lines[l], '\n') == NULL && strchr (lines[l], '\r') == NULL);
          for (const char *p = lines[l]; *p != '\0'; p++)
            separators += *p == ';';
          if (separators != 18)
            g_error ("line %u of %s has %u cells: %s", l + 1, file->name, separators + 1, lines[l]);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *dir = g_build_filename (fuzz_scratch_dir (), "import", NULL);
  g_autofree char *store_path = g_build_filename (dir, "sesame.db", NULL);
  g_autoptr(GPtrArray) parts = fuzz_split (data, size, "\f\f", 2, MAX_FILES);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_remove_tree (dir);
  g_mkdir (dir, 0700);

  for (guint i = 0; i < parts->len; i++)
    {
      gsize len;
      const guint8 *bytes = g_bytes_get_data (g_ptr_array_index (parts, i), &len);
      g_autofree char *sub = g_strdup_printf ("%s/%u", dir, i);
      const char *name = file_names[len > 0 ? bytes[0] % G_N_ELEMENTS (file_names) : 0];

      g_mkdir (sub, 0700);
      g_ptr_array_add (paths, g_build_filename (sub, name, NULL));
      fuzz_write_file (g_ptr_array_index (paths, i), len > 0 ? bytes + 1 : bytes, len > 0 ? len - 1 : 0);
    }
  g_ptr_array_add (paths, NULL);

  store = sesame_store_open (store_path, &error);
  if (store == NULL)
    g_error ("cannot open a store in %s: %s", dir, error->message);
  /* The same clock for every run: expiry and dates replay. */
  sesame_store_set_now (store, 1725170400);

  summary = sesame_import_run (store, (const char * const *) paths->pdata, NULL,
                               SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  if (summary == NULL)
    {
      /* SESAME_IMPORT_ERROR: the departures an import would mark need a
       * confirmation. */
      g_assert (error != NULL && (error->domain == SESAME_ERROR || error->domain == SESAME_IMPORT_ERROR));
      g_assert (g_utf8_validate (error->message, -1, NULL));
    }
  else
    {
      g_autofree char *description = sesame_import_summary_describe (summary);

      g_assert (error == NULL);
      for (guint i = 0; i < summary->warnings->len; i++)
        g_assert (g_utf8_validate (g_ptr_array_index (summary->warnings, i), -1, NULL));
      g_assert (g_utf8_validate (description, -1, NULL));
      check_identifier_files (store);
    }

  g_clear_object (&store);
  fuzz_remove_tree (dir);
  return 0;
}
