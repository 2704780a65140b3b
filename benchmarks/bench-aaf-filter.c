/* bench-aaf-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How fast the byte filter that mends AAF files (sesame-aaf-filter.c) goes
 * through them, in megabytes per second. Every byte of an imported file
 * passes through it before libxml2 reads it, so it must stay far faster
 * than the parser behind it. Each sample file, and a mutated copy of it
 * full of the faults the filter mends, is filtered in the reader's 64 KiB
 * blocks over and over; the best of several rounds is printed.
 *
 * The samples come from the folder given as argument, or from
 * SESAME_SAMPLES_DIR (set by meson), or tests/data/aaf.
 */
#include "config.h"

#include <string.h>

#include "sesame-aaf-filter-private.h"

#define BLOCK_SIZE   (64 * 1024)
#define ROUND_BYTES  (64 * 1000 * 1000)
#define ROUNDS       5

static void
ignore_warning (guint       line,
                const char *message,
                gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* Megabytes per second, the best of ROUNDS rounds of ROUND_BYTES. */
static double
measure (const guint8 *data,
         gsize         len,
         guint        *warnings)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (len + len / 8 + 8192);
  double best = 0;

  for (guint round = 0; round < ROUNDS; round++)
    {
      gint64 start = g_get_monotonic_time ();
      gsize done = 0;
      double seconds;

      while (done < ROUND_BYTES)
        {
          SesameAafFilter *filter = _sesame_aaf_filter_new (ignore_warning, warnings);

          g_byte_array_set_size (out, 0);
          for (gsize pos = 0; pos < len; pos += BLOCK_SIZE)
            _sesame_aaf_filter_feed (filter, data + pos, MIN (BLOCK_SIZE, len - pos), out);
          _sesame_aaf_filter_finish (filter, out);
          _sesame_aaf_filter_free (filter);
          done += len;
        }
      seconds = (g_get_monotonic_time () - start) / 1e6;
      best = MAX (best, done / 1e6 / seconds);
    }
  return best;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The same file with faults the filter mends sown through its text: bare
 * ampersands, HTML entities, control bytes, Latin-1 bytes. */
static GByteArray *
mutate (const guint8 *data,
        gsize         len)
{
  static const char * const faults[] = { "&", "&eacute;", "\x01", "\xe9", "&#7;" };
  GByteArray *mutated = g_byte_array_sized_new (len + len / 16);
  guint n = 0;

  for (gsize i = 0; i < len; i++)
    {
      g_byte_array_append (mutated, data + i, 1);
      if (data[i] == '>' && i + 1 < len && data[i + 1] != '<' && data[i + 1] != '\n' && ++n % 7 == 0)
        g_byte_array_append (mutated, (const guint8 *) faults[n % G_N_ELEMENTS (faults)],
                             strlen (faults[n % G_N_ELEMENTS (faults)]));
    }
  return mutated;
}

int
main (int    argc,
      char **argv)
{
  const char *dir = argc > 1 ? argv[1] : g_getenv ("SESAME_SAMPLES_DIR");
  g_autoptr(GDir) folder = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  double total_plain = 0, total_mutated = 0;
  const char *name;

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    dir = "tests/data/aaf";
  folder = g_dir_open (dir, 0, &error);
  if (folder == NULL)
    {
      g_printerr ("bench-aaf-filter: %s\n", error->message);
      return 1;
    }
  while ((name = g_dir_read_name (folder)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  if (names->len == 0)
    {
      g_printerr ("bench-aaf-filter: no .xml file in %s\n", dir);
      return 1;
    }

  g_print ("AAF filter, %d KiB blocks, MB/s (best of %d rounds of %d MB)\n",
           BLOCK_SIZE / 1024, ROUNDS, ROUND_BYTES / 1000000);
  g_print ("%10s %10s  file\n", "as is", "mutated");
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GByteArray) mutated = NULL;
      gsize len;
      guint warnings = 0;
      double plain, faulty;

      if (!g_file_get_contents (path, &contents, &len, &error))
        {
          g_printerr ("bench-aaf-filter: %s\n", error->message);
          return 1;
        }
      mutated = mutate ((const guint8 *) contents, len);
      plain = measure ((const guint8 *) contents, len, &warnings);
      faulty = measure (mutated->data, mutated->len, &warnings);
      total_plain += plain;
      total_mutated += faulty;
      g_print ("%10.0f %10.0f  %s\n", plain, faulty, (const char *) names->pdata[i]);
    }
  g_print ("%10.0f %10.0f  mean\n", total_plain / names->len, total_mutated / names->len);
  return 0;
}
