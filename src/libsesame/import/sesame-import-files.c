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

/* Whether ST is the store's own database, or its log or shared memory.
 * Reading it would not only fail: opening and closing a descriptor of the
 * store drops every lock this process holds on it (see sesame-store.c),
 * and another program would then delete the write-ahead log in use. */
static gboolean
is_store_file (const GStatBuf *st,
               const char     *store_path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  if (store_path == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (store_path, suffixes[i], NULL);
      GStatBuf store_st;

      if (g_stat (path, &store_st) == 0 &&
          store_st.st_dev == st->st_dev && store_st.st_ino == st->st_ino)
        return TRUE;
    }
  return FALSE;
}

static gboolean
add_file (GPtrArray   *files,
          GHashTable  *known,
          const char  *path,
          const char  *store_path,
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

  if (is_store_file (&st, store_path))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("%s is the store itself, not an AAF file: name the directory files exported by the academy."),
                   path);
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
            const char  *store_path,
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
        !add_file (files, known, g_ptr_array_index (names, i), store_path, error))
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
 * @store_path: (nullable): the store's file, which is never read as an input
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type SesameImportFile): the files to
 *   read, in the order they must be applied
 */
GPtrArray *
_sesame_import_collect_files (const char * const  *paths,
                              const char          *store_path,
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
          if (!add_folder (files, known, path, store_path, error))
            return NULL;
        }
      else if (!add_file (files, known, path, store_path, error))
        return NULL;
    }

  if (files->len == 0)
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                           _("No AAF file to import: name the files or the folder that holds them."));
      return NULL;
    }

  g_ptr_array_sort (files, compare_files);
  for (guint i = 0; i < files->len; i++)
    ((SesameImportFile *) g_ptr_array_index (files, i))->index = i;
  return g_steal_pointer (&files);
}

/* The series of a chunked set: its name without the date, shared by the
 * complete exports of one kind and establishment from one time to the
 * next. */
static char *
set_series (const SesameAafFileInfo *info)
{
  const char *at = info->date[0] != '\0' ? strstr (info->set, info->date) : NULL;

  if (at == NULL)
    return g_strdup (info->set);
  return g_strdup_printf ("%.*s%s", (int) (at - info->set), info->set, at + strlen (info->date));
}

/* How many chunks the newest complete export of each series had, as the
 * store remembers its earlier imports: series → count. */
static GHashTable *
load_previous_counts (SesameImportJob  *job,
                      GError          **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;

  stmt = _sesame_import_prepare (job, "SELECT files FROM imports WHERE complete = 1 ORDER BY started_at DESC, rowid DESC",
                                 error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_auto(GStrv) names = g_strsplit (_sesame_column_text (stmt, 0), ", ", -1);
      g_autoptr(GHashTable) in_import = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      GHashTableIter iter;
      gpointer series, count;

      for (guint i = 0; names[i] != NULL; i++)
        {
          SesameAafFileInfo info;

          sesame_aaf_file_info_parse (&info, names[i]);
          if (info.complete && info.chunk >= 0)
            {
              char *key = set_series (&info);
              guint n = MAX (GPOINTER_TO_UINT (g_hash_table_lookup (in_import, key)), (guint) info.chunk + 1);

              g_hash_table_replace (in_import, key, GUINT_TO_POINTER (n));
            }
          sesame_aaf_file_info_clear (&info);
        }
      /* The newest import that had the series says how long it was. */
      g_hash_table_iter_init (&iter, in_import);
      while (g_hash_table_iter_next (&iter, &series, &count))
        if (!g_hash_table_contains (counts, series))
          g_hash_table_insert (counts, g_strdup (series), count);
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&counts);
}

static char *
missing_chunks (GArray *chunks,
                int     max)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint listed = 0;

  for (int c = 0; c <= max; c++)
    {
      gboolean present = FALSE;

      for (guint i = 0; i < chunks->len && !present; i++)
        present = g_array_index (chunks, int, i) == c;
      if (present)
        continue;
      if (listed == 5)
        {
          g_string_append (text, ", …");
          break;
        }
      if (listed++ > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%04d", c);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * _sesame_import_check_chunks:
 * @job: the import, its files collected
 * @error: return location for a #GError
 *
 * People missing from a complete export have left, unless the export is
 * not all there. A chunked set of people whose numbers do not run from
 * _0000 without a gap, or that has fewer chunks than the previous complete
 * export of the same kind and establishment (its last chunks are the ones
 * a cut copy loses, and no file says how many there are), does not say who
 * left: its files are marked incomplete, its establishment (or, for an
 * academy-wide set, its whole kind) gets no departures, and the summary
 * says so. What the chunks present hold is imported all the same: it is
 * right, and holding back new pupils' accounts would not make the
 * missing ones appear.
 *
 * Returns: %FALSE if the store failed
 */
gboolean
_sesame_import_check_chunks (SesameImportJob  *job,
                             GError          **error)
{
  g_autoptr(GHashTable) sets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) previous = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < job->files->len; i++)
    {
      const SesameImportFile *file = g_ptr_array_index (job->files, i);
      GArray *chunks;

      if (!file->info.complete || file->info.chunk < 0 || file->kind < SESAME_AAF_KIND_STAFF)
        continue;
      chunks = g_hash_table_lookup (sets, file->info.set);
      if (chunks == NULL)
        {
          chunks = g_array_new (FALSE, FALSE, sizeof (int));
          g_hash_table_insert (sets, file->info.set, chunks);
          g_ptr_array_add (names, file->info.set);
        }
      g_array_append_val (chunks, file->info.chunk);
    }
  if (names->len == 0)
    return TRUE;

  previous = load_previous_counts (job, error);
  if (previous == NULL)
    return FALSE;

  /* In the order of the files, for the warnings. */
  for (guint s = 0; s < names->len; s++)
    {
      const char *set = g_ptr_array_index (names, s);
      GArray *chunks = g_hash_table_lookup (sets, set);
      SesameImportFile *first = NULL;
      g_autofree char *series = NULL;
      g_autofree char *message = NULL;
      guint before;
      int max = -1;

      for (guint i = 0; i < chunks->len; i++)
        max = MAX (max, g_array_index (chunks, int, i));
      for (guint i = 0; i < job->files->len && first == NULL; i++)
        {
          SesameImportFile *file = g_ptr_array_index (job->files, i);

          if (file->info.complete && g_str_equal (file->info.set, set))
            first = file;
        }
      g_assert (first != NULL);
      series = set_series (&first->info);
      before = GPOINTER_TO_UINT (g_hash_table_lookup (previous, series));

      /* The files are distinct, so their chunk numbers are too. */
      if ((guint) max + 1 != chunks->len)
        {
          g_autofree char *missing = missing_chunks (chunks, max);

          message = g_strdup_printf (_("chunks %s of this complete export are missing (%u of %d given): nobody is "
                                       "marked as having left from it; import all its chunks together"),
                                     missing, chunks->len, max + 1);
        }
      else if (before > chunks->len)
        message = g_strdup_printf (_("this complete export has %u chunks where the previous one had %u: its last "
                                     "chunks may be missing, so nobody is marked as having left from it; import "
                                     "all its chunks together"),
                                   chunks->len, before);
      else
        continue;

      _sesame_import_warn (job, first->name, 0, message);
      g_ptr_array_add (job->summary->incomplete_sets, g_strdup (set));
      for (guint i = 0; i < job->files->len; i++)
        {
          SesameImportFile *file = g_ptr_array_index (job->files, i);

          if (file->info.complete && g_str_equal (file->info.set, set))
            file->incomplete = TRUE;
        }
      if (first->info.uai[0] == '\0')
        job->departures_off[first->kind] = TRUE;
      else
        g_hash_table_add (job->incomplete_uais[first->kind],
                          (gpointer) _sesame_import_keep_string (job, first->info.uai));
    }
  return TRUE;
}
