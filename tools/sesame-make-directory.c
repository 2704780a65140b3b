/* sesame-make-directory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes a demo academy directory, in the AAF format, for trying Sésame
 * out: `sesamectl import FOLDER` takes it as it is.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sesame-demo-directory.h"
#include "sesame-error.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = NULL;
  g_auto(GStrv) folders = NULL;
  SesameDemoDirectoryOptions options;
  SesameDemoDirectoryCounts counts;
  int establishments = 2, pupils = 600, chunk = 0;
  gint64 seed = 1;
  gboolean academy_wide = FALSE;
  g_autofree char *size = NULL;
  GOptionEntry entries[] = {
    { "establishments", 'e', 0, G_OPTION_ARG_INT, &establishments,
      N_("How many establishments (default 2)"), N_("N") },
    { "pupils", 'p', 0, G_OPTION_ARG_INT, &pupils,
      N_("How many pupils in all, shared out between the establishments (default 600)"), N_("N") },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed,
      N_("The same seed writes the same files (default 1)"), N_("S") },
    { "academy-wide", 'a', 0, G_OPTION_ARG_NONE, &academy_wide,
      N_("Write one academy-wide set of FULL_… files instead of one set per establishment"), NULL },
    { "chunk", 0, 0, G_OPTION_ARG_INT, &chunk,
      N_("Records per file of an academy-wide set (default 20000)"), N_("N") },
    { "date", 0, 0, G_OPTION_ARG_STRING, &date,
      N_("The export date in the file names, YYYYMMDD (default 20240902)"), N_("DATE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &folders, NULL, NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("sesame-make-directory");

  context = g_option_context_new (_("FOLDER"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Writes a demo academy directory: complete AAF exports of invented "
                                  "establishments, pupils, guardians and staff, ready for "
                                  "“sesamectl import FOLDER”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sesame-make-directory: %s\n", error->message);
      return 2;
    }
  if (folders == NULL || g_strv_length (folders) != 1)
    {
      g_printerr ("sesame-make-directory: %s\n", _("Name one folder to write the files into."));
      return 2;
    }
  if (establishments < 1 || pupils < 0 || chunk < 0 || seed < 0 || seed > G_MAXUINT32)
    {
      g_printerr ("sesame-make-directory: %s\n",
                  _("The numbers of establishments, pupils and records per file, and the seed, are positive."));
      return 2;
    }

  sesame_demo_directory_options_init (&options);
  options.n_establishments = establishments;
  options.n_pupils = pupils;
  options.seed = (guint32) seed;
  options.chunk_records = chunk;
  options.date = date;
  if (academy_wide)
    options.flags |= SESAME_DEMO_DIRECTORY_ACADEMY_WIDE;

  if (!sesame_demo_directory_write_full (folders[0], &options, &counts, NULL, &error))
    {
      g_printerr ("sesame-make-directory: %s\n", error->message);
      return 2;
    }

  size = g_format_size (counts.bytes);
  /* TRANSLATORS: the first %s is a size such as "1.2 MB", the second a folder */
  g_print (ngettext ("Wrote %u file (%s) into %s:\n", "Wrote %u files (%s) into %s:\n", counts.files),
           counts.files, size, folders[0]);
  g_print (ngettext ("  %u establishment\n", "  %u establishments\n", counts.establishments), counts.establishments);
  g_print (ngettext ("  %u pupil\n", "  %u pupils\n", counts.pupils), counts.pupils);
  g_print (ngettext ("  %u guardian\n", "  %u guardians\n", counts.parents), counts.parents);
  g_print (ngettext ("  %u staff member\n", "  %u staff members\n", counts.staff), counts.staff);
  return 0;
}
