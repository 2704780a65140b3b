/* fuzz-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers shared by the fuzz targets. Each input must run the same way
 * whatever ran before it, so that a crash replays from its file alone:
 * targets that need files write them into a fresh scratch folder, on a
 * memory filesystem when there is one, and remove them before returning.
 * Criticals and warnings abort: in Sésame's own code they mean a contract
 * was broken (a NULL where a string was due, invalid UTF-8 handed to
 * Pango), which is a bug the fuzzer must report, not a message to skip.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"

static char *scratch_dir;

static GLogWriterOutput
quiet_writer (GLogLevelFlags   log_level,
              const GLogField *fields,
              gsize            n_fields,
              gpointer         user_data)
{
  /* Messages an input may legitimately cause (a refused record, a
   * repaired byte) are dropped; anything worse aborts. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }
  return G_LOG_WRITER_HANDLED;
}

static void
remove_scratch_dir (void)
{
  if (scratch_dir != NULL)
    fuzz_remove_tree (scratch_dir);
}

/**
 * fuzz_init:
 *
 * Sets up the process once: C locale for stable messages, a private
 * scratch folder, and log messages that abort on warnings.
 */
void
fuzz_init (void)
{
  const char *base = "/dev/shm";
  g_autofree char *template = NULL;

  if (scratch_dir != NULL)
    return;

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_log_set_writer_func (quiet_writer, NULL, NULL);

  if (!g_file_test (base, G_FILE_TEST_IS_DIR) || access (base, W_OK) != 0)
    base = g_get_tmp_dir ();
  template = g_build_filename (base, "sesame-fuzz-XXXXXX", NULL);
  scratch_dir = g_mkdtemp (g_steal_pointer (&template));
  if (scratch_dir == NULL)
    g_error ("cannot create a scratch folder in %s: %s", base, g_strerror (errno));
  atexit (remove_scratch_dir);
}

/**
 * fuzz_scratch_dir:
 *
 * Returns: a folder this process owns, removed at exit
 */
const char *
fuzz_scratch_dir (void)
{
  g_assert (scratch_dir != NULL);
  return scratch_dir;
}

/**
 * fuzz_remove_tree:
 * @path: a file or folder
 *
 * Removes @path and everything under it.
 */
void
fuzz_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          fuzz_remove_tree (child);
        }
    }
  g_remove (path);
}

/**
 * fuzz_write_file:
 * @path: where to write
 * @data: the bytes
 * @len: how many
 *
 * Writes @data to @path, aborting if it cannot (a full memory filesystem
 * is a problem of the machine, not a finding).
 */
void
fuzz_write_file (const char   *path,
                 const guint8 *data,
                 gsize         len)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, (const char *) data, len, &error))
    g_error ("%s", error->message);
}

/**
 * fuzz_split:
 * @data: an input
 * @size: its length
 * @separator: the bytes between fields
 * @sep_len: their length (a NUL byte is a separator too)
 * @max_fields: the last field takes the rest of the input
 *
 * Returns: (transfer full) (element-type GBytes): the fields
 */
GPtrArray *
fuzz_split (const guint8 *data,
            gsize         size,
            const char   *separator,
            gsize         sep_len,
            guint         max_fields)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize start = 0;

  g_assert (sep_len > 0);

  for (gsize i = 0; i + sep_len <= size && fields->len + 1 < max_fields; )
    {
      if (memcmp (data + i, separator, sep_len) == 0)
        {
          g_ptr_array_add (fields, g_bytes_new (data + start, i - start));
          i += sep_len;
          start = i;
        }
      else
        i++;
    }
  g_ptr_array_add (fields, g_bytes_new (data + start, size - start));
  return fields;
}

/**
 * fuzz_field_utf8:
 * @fields: (element-type GBytes): from fuzz_split()
 * @index: which field
 * @fallback: (nullable): the value of a missing field
 *
 * Returns: (transfer full) (nullable): the field as UTF-8, invalid
 *   sequences replaced as a text widget or libxml2 would
 */
char *
fuzz_field_utf8 (GPtrArray  *fields,
                 guint       index,
                 const char *fallback)
{
  gsize len;
  const char *bytes;

  if (index >= fields->len)
    return g_strdup (fallback);
  bytes = g_bytes_get_data (g_ptr_array_index (fields, index), &len);
  return g_utf8_make_valid (bytes != NULL ? bytes : "", len);
}
