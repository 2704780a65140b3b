/* sesamectl-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Following a job the server runs for a desk (an import, a campaign): the
 * progress line on a terminal, Ctrl+C or SIGTERM to cancel it there, and
 * what its failure means for the exit status.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <unistd.h>

#include "sesamectl.h"

/**
 * sesamectl_job_init:
 * @job: the job to follow, uninitialised
 * @line: says what to show of a progress on the terminal
 * @cancel_message: printed when Ctrl+C or SIGTERM cancels the job
 *
 * Prepares @job; start the job with sesamectl_job_progress() as its
 * progress callback, sesamectl_job_done() as its ready callback, @job as
 * the data of both and @job->cancellable, then call sesamectl_job_wait().
 */
void
sesamectl_job_init (SesameCtlJob     *job,
                    SesameCtlJobLine  line,
                    const char       *cancel_message)
{
  *job = (SesameCtlJob) {
    .loop = g_main_loop_new (NULL, FALSE),
    .cancellable = g_cancellable_new (),
    .line = line,
    .cancel_message = cancel_message,
    .terminal = isatty (STDERR_FILENO),
  };
}

/**
 * sesamectl_job_clear:
 * @job: a job prepared by sesamectl_job_init()
 *
 * Frees what @job holds.
 */
void
sesamectl_job_clear (SesameCtlJob *job)
{
  g_clear_pointer (&job->loop, g_main_loop_unref);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->result);
}

/* On a terminal only: scripts get the outcome alone. */
void
sesamectl_job_progress (const SesameSyncJobProgress *progress,
                        gpointer                     user_data)
{
  SesameCtlJob *job = user_data;
  g_autofree char *line = NULL;

  if (!job->terminal)
    return;
  line = job->line (progress);
  if (line == NULL)
    return;
  job->shown = TRUE;
  g_printerr ("\r\033[K%s", line);
}

void
sesamectl_job_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SesameCtlJob *job = user_data;

  job->result = g_object_ref (result);
  g_main_loop_quit (job->loop);
}

static gboolean
on_signal (gpointer user_data)
{
  SesameCtlJob *job = user_data;

  if (!g_cancellable_is_cancelled (job->cancellable))
    g_printerr ("\n%s\n", job->cancel_message);
  g_cancellable_cancel (job->cancellable);
  return G_SOURCE_CONTINUE;
}

/**
 * sesamectl_job_wait:
 * @job: a started job
 *
 * Shows the job's progress until it ends; Ctrl+C or SIGTERM cancels it on
 * the server meanwhile.
 *
 * Returns: (transfer none): the result to give the job's finish function
 */
GAsyncResult *
sesamectl_job_wait (SesameCtlJob *job)
{
  guint sigint = g_unix_signal_add (SIGINT, on_signal, job);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, job);

  g_main_loop_run (job->loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (job->shown)
    g_printerr ("\r\033[K");
  return job->result;
}

/**
 * sesamectl_job_fail:
 * @error: why the job did not run to its end
 * @offline_hint: what to do when the server cannot be reached
 *
 * Prints @error and returns the exit status it maps to: 2 when the server
 * cannot be reached (with @offline_hint), 1 when it refused the job.
 *
 * Returns: the exit status
 */
int
sesamectl_job_fail (const GError *error,
                    const char   *offline_hint)
{
  if (g_error_matches (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_UNREACHABLE))
    {
      g_printerr ("sesamectl: %s\n", error->message);
      g_printerr ("%s\n", offline_hint);
      return SESAMECTL_EXIT_USAGE;
    }
  if (error->domain == SESAME_SYNC_JOBS_ERROR)
    {
      g_printerr ("sesamectl: %s\n", error->message);
      return SESAMECTL_EXIT_REFUSED;
    }
  return sesamectl_fail (error);
}
