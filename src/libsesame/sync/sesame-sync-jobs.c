/* sesame-sync-jobs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On a desk joined to a server, the directory import runs on the server,
 * not on the desk: directory data is written by the server's imports
 * alone and reaches every desk through the feed, so that the desks never
 * hold directories of their own that drift apart. This file is the desk's
 * half of such a job: it sends the files in signed pieces, with their
 * size and SHA-256 so that the server can tell a whole file from a cut
 * one, asks the server to start, follows its progress, cancels it when
 * asked, and pulls the result with a sync round. The server runs the job
 * as the operator who signed in on the desk, proven by the ticket the
 * server gave them then; sesame_sync_jobs_act_as() is the server's check.
 * An email campaign goes the same way without files: the desk sends what
 * it targets, the server records and sends it with its own mail server,
 * and the desk follows it and pulls the campaign and its report.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-sync"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "sesame-campaign.h"
#include "sesame-import-private.h"
#include "sesame-store-private.h"
#include "sesame-sync-client.h"
#include "sesame-sync-desks.h"
#include "sesame-sync-jobs.h"

/* How often a desk asks how its job goes. */
#define POLL_INTERVAL_MS 200
/* How long a desk keeps asking a server that stopped answering while it
 * runs the job (a network that comes and goes, a server restarting),
 * and how often meanwhile. */
#define SILENCE_PATIENCE_S 60
#define SILENCE_RETRY_MS   1000

/**
 * sesame_sync_jobs_error_quark:
 *
 * The error domain of the jobs a desk sends to its server, whose codes are
 * the #SesameSyncJobsError values.
 *
 * Returns: the quark of %SESAME_SYNC_JOBS_ERROR
 */
G_DEFINE_QUARK (sesame-sync-jobs-error-quark, sesame_sync_jobs_error)

static const char * const state_tokens[] = {
  [SESAME_SYNC_JOB_UPLOADING] = "uploading",
  [SESAME_SYNC_JOB_RUNNING] = "running",
  [SESAME_SYNC_JOB_DONE] = "done",
  [SESAME_SYNC_JOB_FAILED] = "failed",
  [SESAME_SYNC_JOB_CANCELLED] = "cancelled",
};

/**
 * sesame_sync_job_state_to_token:
 * @state: a #SesameSyncJobState
 *
 * Names @state as the server's API does.
 *
 * Returns: "uploading", "running", "done", "failed" or "cancelled"
 */
const char *
sesame_sync_job_state_to_token (SesameSyncJobState state)
{
  g_return_val_if_fail (state <= SESAME_SYNC_JOB_CANCELLED, "failed");
  return state_tokens[state];
}

/**
 * sesame_sync_job_state_from_token:
 * @token: a state as sesame_sync_job_state_to_token() names it
 * @state: (out): the state
 *
 * Reads a job's state from the server's API.
 *
 * Returns: %TRUE if @token names a state
 */
gboolean
sesame_sync_job_state_from_token (const char         *token,
                                  SesameSyncJobState *state)
{
  for (guint i = 0; token != NULL && i < G_N_ELEMENTS (state_tokens); i++)
    if (g_str_equal (token, state_tokens[i]))
      {
        *state = (SesameSyncJobState) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * sesame_sync_job_progress_clear:
 * @progress: a #SesameSyncJobProgress
 *
 * Frees what @progress holds.
 */
void
sesame_sync_job_progress_clear (SesameSyncJobProgress *progress)
{
  g_clear_pointer (&progress->id, g_free);
  g_clear_pointer (&progress->kind, g_free);
  g_clear_pointer (&progress->phase, g_free);
  g_clear_pointer (&progress->message, g_free);
  g_clear_pointer (&progress->error_code, g_free);
  g_clear_pointer (&progress->result, g_free);
  g_clear_pointer (&progress->campaign_id, g_free);
}

/**
 * sesame_sync_job_progress_copy:
 * @progress: a #SesameSyncJobProgress
 *
 * Copies @progress.
 *
 * Returns: (transfer full): a copy, freed with sesame_sync_job_progress_free()
 */
SesameSyncJobProgress *
sesame_sync_job_progress_copy (const SesameSyncJobProgress *progress)
{
  SesameSyncJobProgress *copy = g_new0 (SesameSyncJobProgress, 1);

  g_return_val_if_fail (progress != NULL, copy);

  copy->id = g_strdup (progress->id);
  copy->kind = g_strdup (progress->kind);
  copy->state = progress->state;
  copy->phase = g_strdup (progress->phase);
  copy->done = progress->done;
  copy->total = progress->total;
  copy->message = g_strdup (progress->message);
  copy->error_code = g_strdup (progress->error_code);
  copy->result = g_strdup (progress->result);
  copy->campaign_id = g_strdup (progress->campaign_id);
  return copy;
}

/**
 * sesame_sync_job_progress_free:
 * @progress: (nullable): a #SesameSyncJobProgress
 *
 * Frees @progress and what it holds.
 */
void
sesame_sync_job_progress_free (SesameSyncJobProgress *progress)
{
  if (progress == NULL)
    return;
  sesame_sync_job_progress_clear (progress);
  g_free (progress);
}

static void
set_string (char      **field,
            const char *value)
{
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
}

/**
 * sesame_sync_jobs_parse_progress:
 * @json: the server's answer to GET /api/v1/jobs/ID
 * @length: its length, or -1 when nul-terminated
 * @progress: (out caller-allocates): the job's progress
 * @error: return location for a #GError
 *
 * Reads a job's progress as the server tells it.
 *
 * Returns: %TRUE on success, %FALSE with a
 *   %SESAME_SYNC_CLIENT_ERROR_PROTOCOL error for an answer that is not one
 */
gboolean
sesame_sync_jobs_parse_progress (const char             *json,
                                 gsize                   length,
                                 SesameSyncJobProgress  *progress,
                                 GError                **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (progress != NULL, FALSE);

  if (!json_parser_load_from_data (parser, json, (gssize) length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !sesame_sync_job_state_from_token (json_object_get_string_member_with_default (json_node_get_object (root), "state", ""),
                                         &progress->state))
    {
      g_set_error_literal (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_PROTOCOL,
                           _("The server's answer about a job is not one: is it a sesame-server of this version?"));
      return FALSE;
    }
  object = json_node_get_object (root);
  set_string (&progress->id, json_object_get_string_member_with_default (object, "id", ""));
  set_string (&progress->kind, json_object_get_string_member_with_default (object, "kind", ""));
  set_string (&progress->phase, json_object_get_string_member_with_default (object, "phase", ""));
  set_string (&progress->message, json_object_get_string_member_with_default (object, "message", ""));
  set_string (&progress->error_code, json_object_get_string_member_with_default (object, "error_code", ""));
  progress->done = (guint64) MAX (0, json_object_get_int_member_with_default (object, "done", 0));
  progress->total = (guint64) MAX (0, json_object_get_int_member_with_default (object, "total", 0));
  set_string (&progress->campaign_id, json_object_get_string_member_with_default (object, "campaign_id", ""));
  g_clear_pointer (&progress->result, g_free);
  if (json_object_has_member (object, "result") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "result")))
    progress->result = json_to_string (json_object_get_member (object, "result"), FALSE);
  else
    progress->result = g_strdup ("");
  return TRUE;
}

/**
 * sesame_sync_job_progress_dup_import_summary:
 * @progress: the last progress of an import job, done
 *
 * The summary of an import the server ran, as sesame_import_run() gives
 * it for a local one, to show it the same way.
 *
 * Returns: (transfer full) (nullable): the summary, or %NULL when
 *   @progress holds none
 */
SesameImportSummary *
sesame_sync_job_progress_dup_import_summary (const SesameSyncJobProgress *progress)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_return_val_if_fail (progress != NULL, NULL);

  if (progress->result == NULL || progress->result[0] == '\0' ||
      !json_parser_load_from_data (parser, progress->result, -1, NULL) ||
      json_parser_get_root (parser) == NULL)
    return NULL;
  return sesame_import_summary_new_from_json (json_parser_get_root (parser));
}

/* A signed request to the server; its JSON answer, or the server's reason
 * as the error. */
static JsonObject *
call (SesameStore  *desk,
      const char   *method,
      const char   *path,
      GBytes       *body,
      char        **raw,
      GError      **error)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *root;
  guint status = 0;
  gsize length = 0;
  const char *data;

  answer = sesame_sync_client_request (desk, method, path, body, &status, error);
  if (answer == NULL)
    return NULL;
  data = g_bytes_get_data (answer, &length);
  if (!json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_PROTOCOL,
                   _("The server answered %u with something that is not Sésame's JSON: is it a sesame-server of this version?"),
                   status);
      return NULL;
    }
  object = json_node_get_object (root);
  if (status != 200)
    {
      const char *reason = json_object_get_string_member_with_default (object, "error", _("no reason given"));

      if (status == 409 && g_strcmp0 (json_object_get_string_member_with_default (object, "code", ""), "busy") == 0)
        g_set_error_literal (error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_BUSY, reason);
      else if (status == 404 && g_str_has_prefix (path, "/api/v1/jobs/"))
        g_set_error_literal (error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_LOST, reason);
      else if (status == 401 || status == 403)
        g_set_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED, _("The server refused: %s"), reason);
      else
        g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_REFUSED, _("The server refused: %s"), reason);
      return NULL;
    }
  if (raw != NULL)
    *raw = g_strndup (data, length);
  return json_object_ref (object);
}

static JsonObject *
call_json (SesameStore  *desk,
           const char   *method,
           const char   *path,
           JsonNode     *node,
           GError      **error)
{
  g_autoptr(GBytes) body = NULL;

  if (node != NULL)
    {
      g_autofree char *text = json_to_string (node, FALSE);
      gsize length = strlen (text);

      body = g_bytes_new_take (g_steal_pointer (&text), length);
    }
  return call (desk, method, path, body, NULL, error);
}

/* The ticket the server gave the acting operator when they signed in on
 * this desk: the server acts as them on its proof alone. */
static char *
dup_ticket (SesameStore  *desk,
            GError      **error)
{
  const char *login = sesame_store_operator_get_login (desk);
  char *ticket = NULL;
  sqlite3_stmt *stmt;

  if (login != NULL)
    {
      stmt = _sesame_store_prepare (desk, "SELECT ticket FROM sync_tickets WHERE login = ? COLLATE NOCASE AND expires_at > ?",
                                    error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, login, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        ticket = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  if (ticket == NULL)
    g_set_error_literal (error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_NO_TICKET,
                         login == NULL
                         ? _("On a desk joined to a server, imports and campaigns run on the server as the operator "
                             "signed in: sign in (sesamectl --as LOGIN) while the server answers.")
                         : _("You have not signed in on this desk while the server answered: the server runs imports "
                             "and campaigns only for operators it has checked. Sign in again while it answers."));
  return ticket;
}

/* The ticket of a job for the server the desk joined; a desk that joined
 * none is told to import into its store, or send the @campaign, itself. */
static char *
dup_job_ticket (SesameStore  *desk,
                gboolean      campaign,
                GError      **error)
{
  g_autofree char *server = sesame_sync_client_dup_server (desk);

  if (server == NULL)
    {
      if (campaign)
        g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_NOT_JOINED,
                     _("The store %s joined no server: send the campaign from it directly."), sesame_store_get_path (desk));
      else
        g_set_error (error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_NOT_JOINED,
                     _("The store %s joined no server: import into it directly."), sesame_store_get_path (desk));
      return NULL;
    }
  return dup_ticket (desk, error);
}

static char *
file_sha256 (const char  *path,
             GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, error);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = NULL;
  gssize n;

  if (stream == NULL)
    return NULL;
  buffer = g_malloc (64 * 1024);
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, 64 * 1024, NULL, error)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

typedef struct
{
  SesameSyncJobCallback  callback;
  gpointer               user_data;
  gint64                 last;
} Reporter;

static void
report (Reporter                    *reporter,
        const SesameSyncJobProgress *progress,
        gboolean                     always)
{
  gint64 now = g_get_monotonic_time ();

  if (reporter->callback == NULL || (!always && now - reporter->last < G_USEC_PER_SEC / 10))
    return;
  reporter->last = now;
  reporter->callback (progress, reporter->user_data);
}

/* Whether the server heard the cancellation. */
static gboolean
cancel_job (SesameStore *desk,
            const char  *id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/jobs/%s/cancel", id);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = call (desk, "POST", path, NULL, NULL, &error);
  if (answer == NULL)
    g_message ("The server did not take the job's cancellation: %s", error->message);
  return answer != NULL;
}

/* Sends each file in pieces; the server checks each piece's place. */
static gboolean
upload (SesameStore           *desk,
        SesameSyncJobProgress *progress,
        GPtrArray             *files,
        guint64                chunk_size,
        Reporter              *reporter,
        GCancellable          *cancellable,
        GError               **error)
{
  g_autofree guint8 *buffer = g_malloc (chunk_size);

  for (guint i = 0; i < files->len; i++)
    {
      const SesameImportFile *file = g_ptr_array_index (files, i);
      g_autoptr(GFile) gfile = g_file_new_for_path (file->path);
      g_autoptr(GFileInputStream) stream = g_file_read (gfile, cancellable, error);
      guint64 offset = 0;

      if (stream == NULL)
        return FALSE;
      for (;;)
        {
          g_autoptr(GBytes) piece = NULL;
          g_autoptr(JsonObject) answer = NULL;
          g_autofree char *path = NULL;
          gsize n = 0;

          if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, chunk_size, &n, cancellable, error))
            return FALSE;
          if (n == 0 && offset > 0)
            break;
          piece = g_bytes_new (buffer, n);
          path = g_strdup_printf ("/api/v1/jobs/%s/files/%u?offset=%" G_GUINT64_FORMAT, progress->id, i, offset);
          answer = call (desk, "POST", path, piece, NULL, error);
          if (answer == NULL)
            return FALSE;
          offset += n;
          progress->done += n;
          report (reporter, progress, FALSE);
          if (n < chunk_size)
            break;
        }
    }
  return TRUE;
}

/* The server stopped answering while it runs the job: whether to keep
 * asking, saying so meanwhile. */
static gboolean
wait_for_silent_server (SesameSyncJobProgress  *progress,
                        Reporter               *reporter,
                        gint64                 *silent_since,
                        gboolean                cancelled,
                        GError                **error)
{
  gboolean import = g_strcmp0 (progress->kind, "import") == 0;
  gint64 now = g_get_monotonic_time ();

  if (*silent_since == 0)
    *silent_since = now;
  if (cancelled)
    {
      g_prefix_error (error, "%s ",
                      import ? _("The import could not be cancelled on the server, which does not answer: if it "
                                 "still runs there, it will run to its end.")
                             : _("The campaign could not be stopped on the server, which does not answer: if it "
                                 "still runs there, it will run to its end."));
      return FALSE;
    }
  if (now - *silent_since >= SILENCE_PATIENCE_S * G_USEC_PER_SEC)
    {
      g_prefix_error (error, "%s ",
                      import ? _("The server has not answered for a minute while it imported: if the import still "
                                 "runs there, this desk will see its result at its next sync.")
                             : _("The server has not answered for a minute while it sent the campaign: if it still "
                                 "runs there, this desk will see its report at its next sync."));
      return FALSE;
    }
  g_clear_error (error);
  set_string (&progress->phase, "waiting");
  set_string (&progress->message, _("The server does not answer: waiting for it…"));
  report (reporter, progress, TRUE);
  g_usleep (SILENCE_RETRY_MS * 1000);
  return TRUE;
}

/* Follows a job until it ends on the server; a cancellation is sent
 * until the server takes it, and the server's last word says whether it
 * came in time. A server silent for a while is waited for. */
static gboolean
follow (SesameStore           *desk,
        SesameSyncJobProgress *progress,
        Reporter              *reporter,
        GCancellable          *cancellable,
        GError               **error)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/jobs/%s", progress->id);
  gboolean cancel_sent = FALSE;
  gint64 silent_since = 0;

  for (;;)
    {
      g_autoptr(JsonObject) answer = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *raw = NULL;

      if (!cancel_sent && g_cancellable_is_cancelled (cancellable))
        cancel_sent = cancel_job (desk, progress->id);
      answer = call (desk, "GET", path, NULL, &raw, &local_error);
      if (g_error_matches (local_error, SESAME_SYNC_CLIENT_ERROR, SESAME_SYNC_CLIENT_ERROR_UNREACHABLE))
        {
          if (wait_for_silent_server (progress, reporter, &silent_since, g_cancellable_is_cancelled (cancellable),
                                      &local_error))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (g_error_matches (local_error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_LOST))
        {
          g_clear_error (&local_error);
          if (g_strcmp0 (progress->kind, "import") == 0)
            g_set_error_literal (error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_LOST,
                                 _("The server restarted during the import, which it had not applied: nothing was "
                                   "changed. Start the import again."));
          else
            g_set_error_literal (error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_LOST,
                                 _("The server restarted while it sent the campaign: the messages already sent are "
                                   "recorded. Resume the campaign to send the others."));
          return FALSE;
        }
      if (answer == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      silent_since = 0;
      if (!sesame_sync_jobs_parse_progress (raw, strlen (raw), progress, error))
        return FALSE;
      report (reporter, progress, progress->state >= SESAME_SYNC_JOB_DONE);
      if (progress->state >= SESAME_SYNC_JOB_DONE)
        return TRUE;
      g_usleep (POLL_INTERVAL_MS * 1000);
    }
}

/* A sync round, so that the desk holds what the job changed on the
 * server; the job's own last word stays its message. */
static void
bring_result (SesameStore           *desk,
              SesameSyncJobProgress *progress,
              Reporter              *reporter)
{
  g_auto(SesameSyncRoundReport) round = { 0 };
  g_autoptr(GError) round_error = NULL;
  g_autofree char *summary = g_strdup (progress->message);
  SesameSyncJobState state = progress->state;

  set_string (&progress->phase, "sync");
  set_string (&progress->message, _("Bringing the result to this desk…"));
  progress->state = SESAME_SYNC_JOB_RUNNING;
  report (reporter, progress, TRUE);
  if (!sesame_sync_client_run_round (desk, &round, &round_error))
    /* Done on the server: the next round brings it. */
    g_message ("The %s is over on the server; this desk will see it at the next sync: %s",
               progress->kind, round_error->message);
  progress->state = state;
  set_string (&progress->message, summary);
}

static GError *
job_error (const SesameSyncJobProgress *progress)
{
  if (progress->state == SESAME_SYNC_JOB_CANCELLED)
    return g_error_new_literal (SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_CANCELLED,
                                progress->message[0] != '\0' ? progress->message
                                                             : _("The job was cancelled: nothing was changed."));
  if (g_str_equal (progress->error_code, "departures"))
    return g_error_new_literal (SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_DEPARTURES, progress->message);
  if (g_str_equal (progress->error_code, "permission"))
    return g_error_new_literal (SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED, progress->message);
  if (g_str_equal (progress->error_code, "input"))
    return g_error_new_literal (SESAME_ERROR, SESAME_ERROR_INVALID, progress->message);
  return g_error_new_literal (SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_FAILED, progress->message);
}

/**
 * sesame_sync_jobs_run_import:
 * @desk: a desk's #SesameStore, acting as an operator who signed in on it
 *   while the server answered
 * @paths: (array zero-terminated=1): AAF files or folders of them
 * @establishments: (nullable) (array zero-terminated=1): keep only these
 *   UAIs of an academy-wide export
 * @flags: as for sesame_import_run()
 * @callback: (nullable) (scope call): told how the job goes
 * @user_data: closure data for @callback
 * @cancellable: (nullable): cancels the job, on the server too
 * @error: return location for a #GError
 *
 * Runs a directory import on the server the desk joined, as the desk's
 * operator: sends the files, starts the import there, follows it until it
 * ends, then runs a sync round so that the desk holds the result. The
 * server checks the operator's permission as a local import would, and
 * applies the import whole or not at all. Blocks: call it from a thread
 * of its own, or use sesame_sync_jobs_run_import_async().
 *
 * Returns: (transfer full): the job's last progress, its state
 *   %SESAME_SYNC_JOB_DONE and its result the import's summary; or %NULL
 *   with @error set: %SESAME_SYNC_CLIENT_ERROR_UNREACHABLE when the server
 *   does not answer, a #SesameSyncJobsError, or the server's refusal
 */
SesameSyncJobProgress *
sesame_sync_jobs_run_import (SesameStore            *desk,
                             const char * const     *paths,
                             const char * const     *establishments,
                             SesameImportFlags       flags,
                             SesameSyncJobCallback   callback,
                             gpointer                user_data,
                             GCancellable           *cancellable,
                             GError                **error)
{
  g_autoptr(SesameSyncJobProgress) progress = g_new0 (SesameSyncJobProgress, 1);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) started = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *path = NULL;
  Reporter reporter = { callback, user_data, 0 };
  guint64 bytes = 0;
  guint64 chunk_size;

  g_return_val_if_fail (SESAME_IS_STORE (desk), NULL);
  g_return_val_if_fail (paths != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ticket = dup_job_ticket (desk, FALSE, error);
  if (ticket == NULL)
    return NULL;
  files = _sesame_import_collect_files (paths, sesame_store_get_path (desk), error);
  if (files == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ticket");
  json_builder_add_string_value (builder, ticket);
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, (flags & SESAME_IMPORT_FLAGS_DRY_RUN) != 0);
  json_builder_set_member_name (builder, "accept_departures");
  json_builder_add_boolean_value (builder, (flags & SESAME_IMPORT_FLAGS_ACCEPT_DEPARTURES) != 0);
  json_builder_set_member_name (builder, "establishments");
  json_builder_begin_array (builder);
  for (guint i = 0; establishments != NULL && establishments[i] != NULL; i++)
    json_builder_add_string_value (builder, establishments[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len; i++)
    {
      const SesameImportFile *file = g_ptr_array_index (files, i);
      g_autofree char *sha256 = file_sha256 (file->path, error);

      if (sha256 == NULL)
        {
          g_prefix_error (error, _("Cannot read %s: "), file->path);
          return NULL;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, file->name);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) file->size);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, sha256);
      json_builder_end_object (builder);
      bytes += file->size;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  created = call_json (desk, "POST", "/api/v1/imports", root, error);
  if (created == NULL)
    return NULL;
  progress->id = g_strdup (json_object_get_string_member_with_default (created, "id", ""));
  progress->kind = g_strdup ("import");
  progress->state = SESAME_SYNC_JOB_UPLOADING;
  progress->phase = g_strdup ("upload");
  progress->total = bytes;
  progress->message = g_strdup ("");
  progress->error_code = g_strdup ("");
  progress->result = g_strdup ("");
  chunk_size = (guint64) json_object_get_int_member_with_default (created, "chunk_size", 1024 * 1024);
  chunk_size = CLAMP (chunk_size, 4096, 8 * 1024 * 1024);
  report (&reporter, progress, TRUE);

  if (!upload (desk, progress, files, chunk_size, &reporter, cancellable, error))
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          cancel_job (desk, progress->id);
          g_clear_error (error);
          g_set_error_literal (error, SESAME_SYNC_JOBS_ERROR, SESAME_SYNC_JOBS_ERROR_CANCELLED,
                               _("The import was cancelled: nothing was changed."));
        }
      return NULL;
    }

  path = g_strdup_printf ("/api/v1/jobs/%s/start", progress->id);
  started = call (desk, "POST", path, NULL, NULL, error);
  if (started == NULL)
    return NULL;

  if (!follow (desk, progress, &reporter, cancellable, error))
    return NULL;
  if (progress->state != SESAME_SYNC_JOB_DONE)
    {
      g_propagate_error (error, job_error (progress));
      return NULL;
    }

  /* The result reaches this desk as the server's changes do. */
  if ((flags & SESAME_IMPORT_FLAGS_DRY_RUN) == 0)
    bring_result (desk, progress, &reporter);
  return g_steal_pointer (&progress);
}

/**
 * sesame_sync_jobs_run_campaign:
 * @desk: a desk's #SesameStore, acting as an operator who signed in on it
 *   while the server answered
 * @campaign: (nullable): the campaign to record and send (its profiles,
 *   classes, establishment, subject and free text), or %NULL with
 *   @resume_id
 * @resume_id: (nullable): the id of a stopped campaign to resume instead
 * @flags: the #SesameSyncCampaignFlags
 * @callback: (nullable) (scope call): told how the job goes
 * @user_data: closure data for @callback
 * @cancellable: (nullable): stops the campaign, on the server too, after
 *   the message in progress
 * @error: return location for a #GError
 *
 * Sends an email campaign through the server the desk joined, as the
 * desk's operator: the server records it with the same permission checks
 * as sesame_campaigns_create(), sends it with its own mail server's
 * settings, and the desk follows it until it stops, then runs a sync
 * round so that it holds the campaign and its report. Blocks: call it from
 * a thread of its own, or use sesame_sync_jobs_run_campaign_async().
 *
 * Returns: (transfer full): the job's last progress once the campaign
 *   exists on the server, whatever its end: %SESAME_SYNC_JOB_DONE (every
 *   recipient has a final state), %SESAME_SYNC_JOB_CANCELLED (stopped;
 *   resume it) or %SESAME_SYNC_JOB_FAILED (the mail server stopped it:
 *   the message says why); its result holds "campaign_id" and the counts.
 *   %NULL with @error set when the server refused the campaign or could
 *   not be reached (%SESAME_SYNC_CLIENT_ERROR_UNREACHABLE)
 */
SesameSyncJobProgress *
sesame_sync_jobs_run_campaign (SesameStore             *desk,
                               SesameCampaign          *campaign,
                               const char              *resume_id,
                               SesameSyncCampaignFlags  flags,
                               SesameSyncJobCallback    callback,
                               gpointer                 user_data,
                               GCancellable            *cancellable,
                               GError                 **error)
{
  g_autoptr(SesameSyncJobProgress) progress = g_new0 (SesameSyncJobProgress, 1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autofree char *ticket = NULL;
  g_autofree char *raw = NULL;
  Reporter reporter = { callback, user_data, 0 };

  g_return_val_if_fail (SESAME_IS_STORE (desk), NULL);
  g_return_val_if_fail (campaign == NULL || SESAME_IS_CAMPAIGN (campaign), NULL);
  g_return_val_if_fail ((campaign != NULL) != (resume_id != NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ticket = dup_job_ticket (desk, TRUE, error);
  if (ticket == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ticket");
  json_builder_add_string_value (builder, ticket);
  json_builder_set_member_name (builder, "resend_uncertain");
  json_builder_add_boolean_value (builder, (flags & SESAME_SYNC_CAMPAIGN_FLAGS_RESEND_UNCERTAIN) != 0);
  json_builder_set_member_name (builder, "mail_report");
  json_builder_add_boolean_value (builder, (flags & SESAME_SYNC_CAMPAIGN_FLAGS_MAIL_REPORT) != 0);
  if (resume_id != NULL)
    {
      json_builder_set_member_name (builder, "campaign_id");
      json_builder_add_string_value (builder, resume_id);
    }
  else
    {
      const char * const *classes = sesame_campaign_get_classes (campaign);
      guint profiles = sesame_campaign_get_profiles (campaign);

      json_builder_set_member_name (builder, "profiles");
      json_builder_begin_array (builder);
      for (SesameProfile p = SESAME_PROFILE_ELEVE; p < SESAME_N_PROFILES; p++)
        if (profiles & SESAME_PROFILE_BIT (p))
          json_builder_add_string_value (builder, sesame_profile_to_token (p));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "classes");
      json_builder_begin_array (builder);
      for (guint i = 0; classes != NULL && classes[i] != NULL; i++)
        json_builder_add_string_value (builder, classes[i]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "establishment");
      json_builder_add_string_value (builder, sesame_campaign_get_establishment (campaign));
      json_builder_set_member_name (builder, "subject");
      json_builder_add_string_value (builder, sesame_campaign_get_subject (campaign));
      json_builder_set_member_name (builder, "free_text");
      json_builder_add_string_value (builder, sesame_campaign_get_free_text (campaign));
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  {
    g_autofree char *text = json_to_string (root, FALSE);
    gsize length = strlen (text);
    g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&text), length);

    created = call (desk, "POST", "/api/v1/campaigns", body, &raw, error);
  }
  if (created == NULL || !sesame_sync_jobs_parse_progress (raw, strlen (raw), progress, error))
    return NULL;
  report (&reporter, progress, TRUE);

  if (!follow (desk, progress, &reporter, cancellable, error))
    return NULL;
  /* Sent, stopped or cut short, what was sent is recorded: the desk
   * brings it home. */
  bring_result (desk, progress, &reporter);
  return g_steal_pointer (&progress);
}

/**
 * sesame_sync_job_progress_get_campaign_id:
 * @progress: the progress of a campaign job
 *
 * The campaign a campaign job sends, as the server named it.
 *
 * Returns: (nullable): the campaign's id, or %NULL when @progress holds none
 */
const char *
sesame_sync_job_progress_get_campaign_id (const SesameSyncJobProgress *progress)
{
  g_return_val_if_fail (progress != NULL, NULL);

  return progress->campaign_id != NULL && progress->campaign_id[0] != '\0' ? progress->campaign_id : NULL;
}

/* Asynchronous jobs */

typedef struct
{
  SesameStore           *desk;     /* a connection of the thread's own */
  char                 **paths;    /* an import's */
  char                 **establishments;
  SesameImportFlags      flags;
  SesameCampaign        *campaign; /* a campaign's, or its id to resume */
  char                  *resume_id;
  SesameSyncCampaignFlags campaign_flags;
  GMainContext          *context;
  SesameSyncJobCallback  callback;
  gpointer               user_data;
  GDestroyNotify         user_data_destroy;
} AsyncImport;

static void
async_import_free (AsyncImport *data)
{
  g_clear_object (&data->desk);
  g_strfreev (data->paths);
  g_strfreev (data->establishments);
  g_clear_object (&data->campaign);
  g_free (data->resume_id);
  g_main_context_unref (data->context);
  if (data->user_data_destroy != NULL)
    data->user_data_destroy (data->user_data);
  g_free (data);
}

typedef struct
{
  AsyncImport           *data;
  GTask                 *task;  /* keeps data alive until delivered */
  SesameSyncJobProgress *progress;
} Delivery;

static gboolean
deliver_progress (gpointer user_data)
{
  Delivery *delivery = user_data;

  delivery->data->callback (delivery->progress, delivery->data->user_data);
  sesame_sync_job_progress_free (delivery->progress);
  g_object_unref (delivery->task);
  g_free (delivery);
  return G_SOURCE_REMOVE;
}

static void
relay_progress (const SesameSyncJobProgress *progress,
                gpointer                     user_data)
{
  GTask *task = user_data;
  AsyncImport *data = g_task_get_task_data (task);
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->data = data;
  delivery->task = g_object_ref (task);
  delivery->progress = sesame_sync_job_progress_copy (progress);
  g_main_context_invoke (data->context, deliver_progress, delivery);
}

static void
run_job_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AsyncImport *data = task_data;
  GError *error = NULL;
  SesameSyncJobProgress *progress;

  if (data->paths != NULL)
    progress = sesame_sync_jobs_run_import (data->desk, (const char * const *) data->paths,
                                            (const char * const *) data->establishments, data->flags,
                                            data->callback != NULL ? relay_progress : NULL, task,
                                            cancellable, &error);
  else
    progress = sesame_sync_jobs_run_campaign (data->desk, data->campaign, data->resume_id, data->campaign_flags,
                                              data->callback != NULL ? relay_progress : NULL, task,
                                              cancellable, &error);
  if (progress == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, progress, (GDestroyNotify) sesame_sync_job_progress_free);
}

/* A task for a job of @desk, whose data holds how to tell the caller how
 * it goes; the caller says what the job is, then calls start_job(). */
static GTask *
new_job_task (SesameStore           *desk,
              gpointer               source_tag,
              SesameSyncJobCallback  callback,
              gpointer               user_data,
              GDestroyNotify         user_data_destroy,
              GCancellable          *cancellable,
              GAsyncReadyCallback    ready,
              gpointer               ready_data)
{
  GTask *task = g_task_new (desk, cancellable, ready, ready_data);
  AsyncImport *data;

  g_task_set_source_tag (task, source_tag);
  /* The job's last word says what happened, cancelled or not. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (AsyncImport, 1);
  data->context = g_main_context_ref_thread_default ();
  data->callback = callback;
  data->user_data = user_data;
  data->user_data_destroy = user_data_destroy;
  g_task_set_task_data (task, data, (GDestroyNotify) async_import_free);
  return task;
}

/* Runs the task's job in a thread, on a connection of its own to @desk. */
static void
start_job (GTask       *task,
           SesameStore *desk)
{
  AsyncImport *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->desk = sesame_store_dup (desk, &error);
  if (data->desk == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, run_job_thread);
}

/**
 * sesame_sync_jobs_run_import_async:
 * @desk: a desk's #SesameStore, acting as an operator who signed in on it
 *   while the server answered
 * @paths: (array zero-terminated=1): AAF files or folders of them
 * @establishments: (nullable) (array zero-terminated=1): keep only these UAIs
 * @flags: as for sesame_import_run()
 * @callback: (nullable) (scope notified): told how the job goes, in the
 *   caller's main context
 * @user_data: closure data for @callback
 * @user_data_destroy: (nullable): frees @user_data when the job is over
 * @cancellable: (nullable): cancels the job, on the server too
 * @ready: called when the job is over
 * @ready_data: closure data for @ready
 *
 * sesame_sync_jobs_run_import() in a thread, on a connection of its own to
 * the desk's store, for a window that must not freeze.
 */
void
sesame_sync_jobs_run_import_async (SesameStore          *desk,
                                   const char * const   *paths,
                                   const char * const   *establishments,
                                   SesameImportFlags     flags,
                                   SesameSyncJobCallback callback,
                                   gpointer              user_data,
                                   GDestroyNotify        user_data_destroy,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   ready,
                                   gpointer              ready_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncImport *data;

  g_return_if_fail (SESAME_IS_STORE (desk));
  g_return_if_fail (paths != NULL);

  task = new_job_task (desk, sesame_sync_jobs_run_import_async, callback, user_data, user_data_destroy,
                       cancellable, ready, ready_data);
  data = g_task_get_task_data (task);
  data->paths = g_strdupv ((char **) paths);
  data->establishments = g_strdupv ((char **) establishments);
  data->flags = flags;
  start_job (task, desk);
}

/**
 * sesame_sync_jobs_run_import_finish:
 * @desk: the #SesameStore given to sesame_sync_jobs_run_import_async()
 * @result: the #GAsyncResult given to its callback
 * @error: return location for a #GError
 *
 * Gives the outcome of sesame_sync_jobs_run_import_async().
 *
 * Returns: (transfer full): the job's last progress, or %NULL with @error set
 */
SesameSyncJobProgress *
sesame_sync_jobs_run_import_finish (SesameStore   *desk,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, desk), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sesame_sync_jobs_run_campaign_async:
 * @desk: a desk's #SesameStore, acting as an operator who signed in on it
 *   while the server answered
 * @campaign: (nullable): the campaign to record and send, or %NULL with
 *   @resume_id
 * @resume_id: (nullable): the id of a stopped campaign to resume instead
 * @flags: the #SesameSyncCampaignFlags
 * @callback: (nullable) (scope notified): told how the job goes, in the
 *   caller's main context
 * @user_data: closure data for @callback
 * @user_data_destroy: (nullable): frees @user_data when the job is over
 * @cancellable: (nullable): stops the campaign, on the server too
 * @ready: called when the job is over
 * @ready_data: closure data for @ready
 *
 * sesame_sync_jobs_run_campaign() in a thread, on a connection of its own
 * to the desk's store, for a window that must not freeze.
 */
void
sesame_sync_jobs_run_campaign_async (SesameStore             *desk,
                                     SesameCampaign          *campaign,
                                     const char              *resume_id,
                                     SesameSyncCampaignFlags  flags,
                                     SesameSyncJobCallback    callback,
                                     gpointer                 user_data,
                                     GDestroyNotify           user_data_destroy,
                                     GCancellable            *cancellable,
                                     GAsyncReadyCallback      ready,
                                     gpointer                 ready_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncImport *data;

  g_return_if_fail (SESAME_IS_STORE (desk));
  g_return_if_fail ((campaign != NULL) != (resume_id != NULL));

  task = new_job_task (desk, sesame_sync_jobs_run_campaign_async, callback, user_data, user_data_destroy,
                       cancellable, ready, ready_data);
  data = g_task_get_task_data (task);
  data->campaign = campaign != NULL ? g_object_ref (campaign) : NULL;
  data->resume_id = g_strdup (resume_id);
  data->campaign_flags = flags;
  start_job (task, desk);
}

/**
 * sesame_sync_jobs_run_campaign_finish:
 * @desk: the #SesameStore given to sesame_sync_jobs_run_campaign_async()
 * @result: the #GAsyncResult given to its callback
 * @error: return location for a #GError
 *
 * Gives the outcome of sesame_sync_jobs_run_campaign_async().
 *
 * Returns: (transfer full): the job's last progress, or %NULL with @error set
 */
SesameSyncJobProgress *
sesame_sync_jobs_run_campaign_finish (SesameStore   *desk,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, desk), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The server's side */

/**
 * sesame_sync_jobs_act_as:
 * @server: a connection to the server's store, for this job alone
 * @desk_id: the desk that sent the job (authenticated by the caller)
 * @ticket: the ticket the desk sent for its operator
 * @error: return location for a #GError
 *
 * Makes @server act as the operator @ticket names, once the ticket is
 * checked: signed by this server, for this desk, not expired. The job then
 * goes through the same permission checks as on a desk of its own.
 *
 * Returns: (transfer full): the operator's login, or %NULL with a
 *   %SESAME_ERROR_PERMISSION_DENIED error
 */
char *
sesame_sync_jobs_act_as (SesameStore  *server,
                         const char   *desk_id,
                         const char   *ticket,
                         GError      **error)
{
  g_autofree char *login = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (server), NULL);
  g_return_val_if_fail (desk_id != NULL, NULL);

  login = sesame_sync_desks_check_ticket (server, desk_id, ticket, error);
  if (login == NULL)
    return NULL;
  if (!_sesame_store_set_operator_trusted (server, login, error))
    return NULL;
  return g_steal_pointer (&login);
}
