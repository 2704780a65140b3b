/* sesamectl-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesamectl import [--dry-run] [--establishment UAI]… [--json] PATH…
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
  gboolean json = FALSE;
  g_auto(GStrv) establishments = NULL;
  g_auto(GStrv) paths = NULL;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Tell what the import would change, and change nothing"), NULL },
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
                          "establishment for them. Complete exports mark the people missing from them as having left.\n\n"
                          "Warnings go to the error output, the summary to the standard output.\n"
                          "Exit status: 0 imported, 1 refused (not an administrator), 2 a file cannot be read "
                          "(the message names the file and the line); nothing is changed unless the import succeeds."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (paths == NULL || paths[0] == NULL)
    return sesamectl_usage_error ("import", _("Name the AAF files or folders to import."));

  summary = sesame_store_import (ctl->store, (const char * const *) paths, (const char * const *) establishments,
                                 dry_run ? SESAME_IMPORT_FLAGS_DRY_RUN : SESAME_IMPORT_FLAGS_NONE,
                                 terminal ? show_progress : NULL, &progress, NULL, &error);
  if (progress.shown)
    g_printerr ("\r\033[K");
  if (summary == NULL)
    return sesamectl_fail (error);

  for (guint i = 0; i < summary->warnings->len; i++)
    /* TRANSLATORS: a warning of the import, on the error output */
    g_printerr (_("warning: %s\n"), (const char *) g_ptr_array_index (summary->warnings, i));

  if (json)
    print_json (summary);
  else
    {
      g_autofree char *description = sesame_import_summary_describe (summary);

      g_print ("%s\n", description);
    }
  return SESAMECTL_EXIT_OK;
}
