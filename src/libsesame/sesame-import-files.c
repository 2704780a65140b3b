/* sesame-import-files.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which files an import reads, and in which order: folders are opened to
 * their .xml files, and the files are sorted so that establishments and
 * subjects come before the people who refer to them, staff and parents
 * before pupils (whose links to their parents must resolve), and the chunks
 * of a set in their order.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-import"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sesame-import-private.h"

void
_sesame_import_file_free (SesameImportFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file->name);
  sesame_aaf_file_info_clear (&file->info);
  g_free (file);
}

/* The category of the first record, for a file whose name does not say. */
static SesameAafKind
sniff_kind (const char *path)
{
  char head[16384];
  gssize n;
  const char *at, *value, *end;
  g_autofree char *category = NULL;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return SESAME_AAF_KIND_UNKNOWN;
  n = read (fd, head, sizeof head - 1);
  close (fd);
  if (n <= 0)
    return SESAME_AAF_KIND_UNKNOWN;
  head[n] = '\0';

  at = strstr (head, "name=\"categorie");
  if (at == NULL)
    return SESAME_AAF_KIND_UNKNOWN;
  value = strstr (at, "<value>");
  if (value == NULL)
    return SESAME_AAF_KIND_UNKNOWN;
  value += strlen ("<value>");
  end = strchr (value, '<');
  if (end == NULL)
    return SESAME_AAF_KIND_UNKNOWN;
  category = g_strstrip (g_strndup (value, end - value));
  return sesame_aaf_kind_from_category (category);
}

static gboolean
add_file (GPtrArray   *files,
          GHashTable  *known,
          const char  *path,
          GError     **error)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  SesameImportFile *file;
  GStatBuf st;

  if (g_hash_table_contains (known, canonical))
    return TRUE;

  if (g_stat (canonical, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot read the file %s: %s."), path, g_strerror (saved_errno));
      return FALSE;
    }

  file = g_new0 (SesameImportFile, 1);
  file->path = g_strdup (canonical);
  file->name = g_path_get_basename (canonical);
  file->size = st.st_size;
  sesame_aaf_file_info_parse (&file->info, canonical);
  file->kind = file->info.kind;
  if (file->kind == SESAME_AAF_KIND_UNKNOWN && file->info.kind_name[0] == '\0')
    file->kind = sniff_kind (canonical);

  g_hash_table_add (known, g_steal_pointer (&canonical));
  g_ptr_array_add (files, file);
  return TRUE;
}

static gboolean
add_folder (GPtrArray   *files,
            GHashTable  *known,
            const char  *path,
            GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (path, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("Cannot open the folder %s: %s."), path, local_error->message);
      return FALSE;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);

      if (name[0] != '.' && g_str_has_suffix (lower, ".xml"))
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
    }

  if (names->len == 0)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("The folder %s holds no AAF file (no .xml file)."), path);
      return FALSE;
    }

  for (guint i = 0; i < names->len; i++)
    if (!g_file_test (g_ptr_array_index (names, i), G_FILE_TEST_IS_DIR) &&
        !add_file (files, known, g_ptr_array_index (names, i), error))
      return FALSE;
  return TRUE;
}

static int
kind_rank (SesameAafKind kind)
{
  /* Unknown kinds (MEF nomenclature…) last. */
  return kind == SESAME_AAF_KIND_UNKNOWN ? SESAME_AAF_N_KINDS : (int) kind;
}

static int
compare_files (gconstpointer a,
               gconstpointer b)
{
  const SesameImportFile *fa = *(SesameImportFile * const *) a;
  const SesameImportFile *fb = *(SesameImportFile * const *) b;
  int cmp;

  /* A complete export, then the deltas that follow it. */
  cmp = strcmp (fa->info.date, fb->info.date);
  if (cmp != 0)
    return cmp;
  cmp = kind_rank (fa->kind) - kind_rank (fb->kind);
  if (cmp != 0)
    return cmp;
  cmp = strcmp (fa->info.set, fb->info.set);
  if (cmp != 0)
    return cmp;
  cmp = fa->info.chunk - fb->info.chunk;
  if (cmp != 0)
    return cmp;
  return strcmp (fa->path, fb->path);
}

/**
 * _sesame_import_collect_files:
 * @paths: files and folders
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SesameImportFile): the files to
 *   read, in the order they must be applied
 */
GPtrArray *
_sesame_import_collect_files (const char * const  *paths,
                              GError             **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) _sesame_import_file_free);
  g_autoptr(GHashTable) known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      const char *path = paths[i];

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                       _("The file or folder %s does not exist."), path);
          return NULL;
        }
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (!add_folder (files, known, path, error))
            return NULL;
        }
      else if (!add_file (files, known, path, error))
        return NULL;
    }

  if (files->len == 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("No AAF file to import: name the files or the folder that holds them."));
      return NULL;
    }

  g_ptr_array_sort (files, compare_files);
  return g_steal_pointer (&files);
}

/* People missing from a complete export have left, unless the export is not
 * all there: a set whose chunks do not run from _0000 without a gap does
 * not say who left. */
void
_sesame_import_check_chunks (SesameImportJob *job)
{
  g_autoptr(GHashTable) sets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < job->files->len; i++)
    {
      const SesameImportFile *file = g_ptr_array_index (job->files, i);
      GArray *chunks;

      if (!file->info.complete || file->info.chunk < 0)
        continue;
      chunks = g_hash_table_lookup (sets, file->info.set);
      if (chunks == NULL)
        {
          chunks = g_array_new (FALSE, FALSE, sizeof (int));
          g_hash_table_insert (sets, file->info.set, chunks);
        }
      g_array_append_val (chunks, file->info.chunk);
    }

  g_hash_table_iter_init (&iter, sets);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GArray *chunks = value;
      const SesameImportFile *first = NULL;
      int max = -1;

      for (guint i = 0; i < chunks->len; i++)
        max = MAX (max, g_array_index (chunks, int, i));
      /* The files are distinct, so their chunk numbers are too. */
      if ((guint) max + 1 == chunks->len)
        continue;

      for (guint i = 0; i < job->files->len && first == NULL; i++)
        {
          const SesameImportFile *file = g_ptr_array_index (job->files, i);

          if (g_str_equal (file->info.set, key))
            first = file;
        }
      g_assert (first != NULL);
      job->departures_off[first->kind] = TRUE;

      {
        g_autofree char *message =
          g_strdup_printf (_("some chunks of this complete export are missing (%u of %d given): nobody is marked as having left from it"),
                           chunks->len, max + 1);

        _sesame_import_warn (job, first->name, 0, message);
      }
    }
}
