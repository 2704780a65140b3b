/* sesamectl-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesamectl import [--dry-run] [--accept-departures] [--establishment UAI]… [--json] PATH…
 *
 * The directory import from the command line. An import that would mark
 * too many of an establishment's people as having left changes nothing and
 * says how to confirm: the same command with --accept-departures.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "sesamectl.h"

typedef struct
{
  gint64   last_report;
  gboolean shown;
} Progress;

/* On a terminal only: scripts get the summary alone. */
static void
show_progress (guint64  records,
               guint64  bytes_read,
               guint64  bytes_total,
               gpointer user_data)
{
  Progress *progress = user_data;
  gint64 now = g_get_monotonic_time ();
  guint percent;

  if (now - progress->last_report < G_USEC_PER_SEC / 5 && bytes_read < bytes_total)
    return;
  progress->last_report = now;
  progress->shown = TRUE;

  percent = bytes_total > 0 ? (guint) (bytes_read * 100 / bytes_total) : 0;
  /* TRANSLATORS: progress of the import on a terminal */
  g_printerr ("\r\033[K");
  g_printerr (_("Importing… %u%% (%lu records read)"), percent, (unsigned long) records);
}

static void
add_strings (JsonBuilder *builder,
             const char  *name,
             GPtrArray   *strings)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; strings != NULL && i < strings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (strings, i));
  json_builder_end_array (builder);
}

static void
add_count (JsonBuilder *builder,
           const char  *name,
           guint        value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
print_json (const SesameImportSummary *summary)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, summary->dry_run);
  add_count (builder, "files", summary->files);
  add_count (builder, "establishments", summary->establishments);
  add_count (builder, "subjects", summary->subjects);
  add_count (builder, "pupils", summary->pupils);
  add_count (builder, "parents", summary->parents);
  add_count (builder, "staff", summary->staff);
  add_count (builder, "persons_created", summary->persons_created);
  add_count (builder, "persons_updated", summary->persons_updated);
  add_count (builder, "persons_departed", summary->persons_departed);
  add_count (builder, "accounts_created", summary->accounts_created);
  add_strings (builder, "warnings", summary->warnings);
  add_strings (builder, "identifier_files", summary->identifier_files);
  add_strings (builder, "incomplete_sets", summary->incomplete_sets);
  json_builder_set_member_name (builder, "import_id");
  json_builder_add_string_value (builder, summary->import_id);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  sesamectl_print_json (root);
}

int
sesamectl_cmd_import (SesameCtl  *ctl,
                      int         argc,
                      char      **argv)
{
  gboolean dry_run = FALSE;
  gboolean accept_departures = FALSE;
  gboolean json = FALSE;
  SesameImportFlags flags = SESAME_IMPORT_FLAGS_NONE;
  g_auto(GStrv) establishments = NULL;
  g_auto(GStrv) paths = NULL;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Tell what the import would change, and change nothing"), NULL },
    { "accept-departures", 0, 0, G_OPTION_ARG_NONE, &accept_departures,
      N_("Mark the people missing from complete exports as having left, even more of an establishment than "
         "the store’s threshold"), NULL },
    { "establishment", 0, 0, G_OPTION_ARG_STRING_ARRAY, &establishments,
      N_("Keep only this establishment from an academy-wide export (repeatable)"), N_("UAI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the summary as JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, NULL },
    { NULL }
  };
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };
  gboolean terminal = isatty (STDERR_FILENO);

  if (!sesamectl_parse ("import", _("PATH…"),
                        _("Imports the academy directory (AAF files, or folders of them): establishments, subjects, "
                          "staff, parents and pupils. Creates the missing accounts and an identifier file per "
                          "establishment for them. Complete exports mark the people missing from them as having left "
                          "and disable their accounts; a person listed again later gets their account back as it "
                          "was. A complete export whose chunks are not all there marks nobody as having left.\n\n"
                          "When an import would mark more than the threshold of an establishment’s people as having "
                          "left (10 %, the setting departure-threshold), it changes nothing and names them: check the "
                          "export, then import again with --accept-departures.\n\n"
                          "Warnings go to the error output, the summary to the standard output.\n"
                          "Exit status: 0 imported, 1 refused (not an administrator, or departures to confirm), "
                          "2 a file cannot be read (the message names the file and the line); nothing is changed "
                          "unless the import succeeds."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (paths == NULL || paths[0] == NULL)
    return sesamectl_usage_error ("import", _("Name the AAF files or folders to import."));

  if (dry_run)
    flags |= SESAME_IMPORT_FLAGS_DRY_RUN;
  if (accept_departures)
    flags |= SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES;

  summary = sesame_import_run (ctl->store, (const char * const *) paths, (const char * const *) establishments,
                               flags, terminal ? show_progress : NULL, &progress, NULL, &error);
  if (progress.shown)
    g_printerr ("\r\033[K");
  if (g_error_matches (error, SESAME_IMPORT_ERROR, SESAME_IMPORT_ERROR_DEPARTURES))
    {
      g_printerr ("sesamectl: %s\n", error->message);
      g_printerr ("%s\n", _("To confirm these departures, run the same command with --accept-departures."));
      return SESAMECTL_EXIT_REFUSED;
    }
  if (summary == NULL)
    return sesamectl_fail (error);

  for (guint i = 0; i < summary->warnings->len; i++)
    /* TRANSLATORS: a warning of the import, on the error output */
    g_printerr (_("warning: %s\n"), (const char *) g_ptr_array_index (summary->warnings, i));
  for (guint i = 0; i < summary->incomplete_sets->len; i++)
    g_printerr (_("sesamectl: chunks of the complete export %s are missing: nobody was marked as having left "
                  "from it. Import all its chunks together to mark the departures.\n"),
                (const char *) g_ptr_array_index (summary->incomplete_sets, i));

  if (json)
    print_json (summary);
  else
    {
      g_autofree char *description = sesame_import_summary_describe (summary);

      g_print ("%s\n", description);
    }
  return SESAMECTL_EXIT_OK;
}
