/* fuzz-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs a fuzz target over files, without libFuzzer: the normal test suite
 * replays each target's seed corpus and every crash it ever found
 * (fuzz/reproducers/), built with the usual compiler, so that a fixed crash
 * stays fixed. Usage: fuzz-replay-TARGET FILE_OR_FOLDER…
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"

static guint n_inputs;

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
replay_path (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        if (name[0] != '.' && !g_str_has_suffix (name, ".md"))
          g_ptr_array_add (names, g_build_filename (path, name, NULL));
      /* The same order everywhere, for messages that can be compared. */
      g_ptr_array_sort (names, compare_paths);
      for (guint i = 0; i < names->len; i++)
        replay_path (g_ptr_array_index (names, i));
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize len;

      if (!g_file_get_contents (path, &contents, &len, &error))
        {
          fprintf (stderr, "fuzz-replay: %s\n", error->message);
          exit (2);
        }
      printf ("# %s\n", path);
      fflush (stdout);
      LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
      n_inputs++;
    }
}

int
main (int    argc,
      char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: %s FILE_OR_FOLDER…\n", argv[0]);
      return 2;
    }

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      if (!g_file_test (argv[i], G_FILE_TEST_EXISTS))
        {
          fprintf (stderr, "fuzz-replay: %s does not exist\n", argv[i]);
          return 2;
        }
      replay_path (argv[i]);
    }
  if (n_inputs == 0)
    {
      fprintf (stderr, "fuzz-replay: no input found\n");
      return 2;
    }
  printf ("%u inputs replayed\n", n_inputs);
  return 0;
}
