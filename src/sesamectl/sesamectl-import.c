/* sesamectl-import.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesamectl import [--dry-run] [--accept-departures] [--establishment UAI]… [--json] PATH…
 *
 * The directory import from the command line. An import that would mark
 * too many of an establishment's people as having left changes nothing and
 * says how to confirm: the same command with --accept-departures. On a
 * desk joined to a server, the files go to the server, which runs the
 * import (directory data is the server's alone); the desk shows its
 * progress, Ctrl+C cancels it there, and a sync round brings the result.
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

static char *
remote_line (const SesameSyncJobProgress *progress)
{
  guint percent = progress->total > 0 ? (guint) (progress->done * 100 / progress->total) : 0;

  if (g_str_equal (progress->phase, "upload"))
    /* TRANSLATORS: progress of an import sent to the server, on a terminal */
    return g_strdup_printf (_("Sending the files to the server… %u%%"), percent);
  if (g_str_equal (progress->phase, "sync") || g_str_equal (progress->phase, "waiting"))
    return g_strdup (progress->message);
  /* TRANSLATORS: progress of an import the server runs: percent, then
   * the server's word ("1200 records read") */
  return g_strdup_printf (_("Importing on the server… %u%% (%s)"), percent, progress->message);
}

static void
print_summary (const SesameImportSummary *summary,
               gboolean                   json)
{
  for (guint i = 0; i < summary->warnings->len; i++)
    /* TRANSLATORS: a warning of the import, on the error output */
    g_printerr (_("warning: %s\n"), (const char *) g_ptr_array_index (summary->warnings, i));
  for (guint i = 0; i < summary->incomplete_sets->len; i++)
    g_printerr (_("sesamectl: chunks of the complete export %s are missing: nobody was marked as having left "
                  "from it. Import all its chunks together to mark the departures.\n"),
                (const char *) g_ptr_array_index (summary->incomplete_sets, i));

  if (json)
    {
      g_autoptr(JsonNode) root = sesame_import_summary_to_json (summary);

      sesamectl_print_json (root);
    }
  else
    {
      g_autofree char *description = sesame_import_summary_describe (summary);

      g_print ("%s\n", description);
    }
}

/* A desk joined to a server: the server imports, the desk follows. */
static int
import_on_server (SesameCtl          *ctl,
                  const char * const *paths,
                  const char * const *establishments,
                  SesameImportFlags   flags,
                  gboolean            json)
{
  g_auto(SesameCtlJob) job = { 0 };
  g_autoptr(SesameSyncJobProgress) progress = NULL;
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  sesamectl_job_init (&job, remote_line, _("Cancelling the import on the server…"));
  sesame_sync_jobs_run_import_async (ctl->store, paths, establishments, flags, sesamectl_job_progress, &job, NULL,
                                     job.cancellable, sesamectl_job_done, &job);
  progress = sesame_sync_jobs_run_import_finish (ctl->store, sesamectl_job_wait (&job), &error);
  if (progress == NULL)
    {
      if (g_error_matches (error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_DEPARTURES))
        {
          g_printerr ("sesamectl: %s\n", error->message);
          g_printerr ("%s\n", _("To confirm these departures, run the same command with --accept-departures."));
          return SESAMECTL_EXIT_REFUSED;
        }
      return sesamectl_job_fail (error, _("On a desk, imports and email campaigns run on the server: try again "
                                          "once it answers. Everything else (search, logins, passwords, slips "
                                          "and letters) works without it."));
    }

  summary = sesame_sync_job_progress_dup_import_summary (progress);
  if (summary != NULL)
    print_summary (summary, json);
  else
    g_print ("%s\n", progress->message);
  return SESAMECTL_EXIT_OK;
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
                          "unless the import succeeds.\n\n"
                          "On a desk joined to a server, the files are sent to the server, which imports them as the "
                          "operator signed in (--as) with the same checks; the desk shows the progress, Ctrl+C "
                          "cancels the import on the server, and a sync round then brings the result to the desk. "
                          "Exit status 2 also when the server cannot be reached: imports need it."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (paths == NULL || paths[0] == NULL)
    return sesamectl_usage_error ("import", _("Name the AAF files or folders to import."));

  if (dry_run)
    flags |= SESAME_IMPORT_FLAGS_DRY_RUN;
  if (accept_departures)
    flags |= SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES;

  if (sesame_sync_desk_is_joined (ctl->store))
    return import_on_server (ctl, (const char * const *) paths, (const char * const *) establishments, flags, json);

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

  print_summary (summary, json);
  return SESAMECTL_EXIT_OK;
}
