/* sesame-sync-jobs.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-campaign.h"
#include "sesame-import.h"
#include "sesame-store.h"

G_BEGIN_DECLS

#define SESAME_SYNC_JOBS_ERROR (sesame_sync_jobs_error_quark ())

/**
 * SesameSyncJobsError:
 * @SESAME_SYNC_JOBS_ERROR_FAILED: the job failed on the server; the
 *   message is the server's
 * @SESAME_SYNC_JOBS_ERROR_CANCELLED: the job was cancelled: nothing of it
 *   was applied
 * @SESAME_SYNC_JOBS_ERROR_BUSY: the server runs another job of the same
 *   kind: try again when it ends
 * @SESAME_SYNC_JOBS_ERROR_DEPARTURES: the import would mark too many
 *   people as having left; nothing was changed (see
 *   %SESAME_IMPORT_ERROR_DEPARTURES)
 * @SESAME_SYNC_JOBS_ERROR_NO_TICKET: the acting operator never signed in
 *   on this desk while the server answered, so the server cannot act as
 *   them
 * @SESAME_SYNC_JOBS_ERROR_LOST: the server no longer knows the job it was
 *   running: it restarted meanwhile, and nothing of an import was applied
 *
 * Errors of a job a desk sends to its server.
 */
typedef enum
{
  SESAME_SYNC_JOBS_ERROR_FAILED,
  SESAME_SYNC_JOBS_ERROR_CANCELLED,
  SESAME_SYNC_JOBS_ERROR_BUSY,
  SESAME_SYNC_JOBS_ERROR_DEPARTURES,
  SESAME_SYNC_JOBS_ERROR_NO_TICKET,
  SESAME_SYNC_JOBS_ERROR_LOST,
} SesameSyncJobsError;

/**
 * SesameSyncJobState:
 * @SESAME_SYNC_JOB_UPLOADING: created, its files on their way
 * @SESAME_SYNC_JOB_RUNNING: running on the server
 * @SESAME_SYNC_JOB_DONE: finished and applied
 * @SESAME_SYNC_JOB_FAILED: failed; nothing was applied
 * @SESAME_SYNC_JOB_CANCELLED: cancelled; nothing was applied
 *
 * Where a job stands on the server.
 */
typedef enum
{
  SESAME_SYNC_JOB_UPLOADING,
  SESAME_SYNC_JOB_RUNNING,
  SESAME_SYNC_JOB_DONE,
  SESAME_SYNC_JOB_FAILED,
  SESAME_SYNC_JOB_CANCELLED,
} SesameSyncJobState;

const char *sesame_sync_job_state_to_token   (SesameSyncJobState  state);
gboolean    sesame_sync_job_state_from_token (const char         *token,
                                              SesameSyncJobState *state);

/**
 * SesameSyncJobProgress:
 * @id: the job's key on the server
 * @kind: "import" or "campaign"
 * @state: where it stands
 * @phase: what it does now: "upload" (the desk sends the files), "import"
 *   (the server reads and applies them), "send" (the server sends a
 *   campaign's messages), "sync" (the desk pulls the result), "waiting"
 *   (the server stopped answering: the desk waits for it, @message says
 *   so, and the next answer gives the server's phase back)
 * @done: how far the phase is, in its unit (bytes for upload and import,
 *   recipients with an address done for a campaign)
 * @total: how far it goes (0 when unknown)
 * @message: what the server says of it, in the interface's language (the
 *   summary once done, the reason once failed), or ""
 * @error_code: for a failed job, the server's kind of failure ("departures",
 *   "permission", "input", "failed"), or ""
 * @result: for a finished job, its result as JSON (the import's summary,
 *   a campaign's counts), or ""
 * @campaign_id: for a campaign job, the campaign's id once the server
 *   recorded it, or ""
 *
 * A job's progress, as a desk reads it from the server.
 */
typedef struct
{
  char               *id;
  char               *kind;
  SesameSyncJobState  state;
  char               *phase;
  guint64             done;
  guint64             total;
  char               *message;
  char               *error_code;
  char               *result;
  char               *campaign_id;
} SesameSyncJobProgress;

/**
 * SesameSyncCampaignFlags:
 * @SESAME_SYNC_CAMPAIGN_FLAGS_NONE: nothing special
 * @SESAME_SYNC_CAMPAIGN_FLAGS_RESEND_UNCERTAIN: on resuming, send again
 *   the messages cut off after the mail server had them
 * @SESAME_SYNC_CAMPAIGN_FLAGS_MAIL_REPORT: mail the send report to the
 *   operator at the end
 *
 * How the server sends a campaign a desk asks for.
 */
typedef enum
{
  SESAME_SYNC_CAMPAIGN_FLAGS_NONE             = 0,
  SESAME_SYNC_CAMPAIGN_FLAGS_RESEND_UNCERTAIN = 1 << 0,
  SESAME_SYNC_CAMPAIGN_FLAGS_MAIL_REPORT      = 1 << 1,
} SesameSyncCampaignFlags;

/**
 * SesameSyncJobCallback:
 * @progress: the job's progress
 * @user_data: closure data
 *
 * Tells how a job goes, a few times a second at most.
 */
typedef void (*SesameSyncJobCallback) (const SesameSyncJobProgress *progress,
                                       gpointer                     user_data);

GQuark                 sesame_sync_jobs_error_quark     (void);

void                   sesame_sync_job_progress_clear   (SesameSyncJobProgress *progress);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SesameSyncJobProgress, sesame_sync_job_progress_clear)
SesameSyncJobProgress *sesame_sync_job_progress_copy    (const SesameSyncJobProgress *progress);
void                   sesame_sync_job_progress_free    (SesameSyncJobProgress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameSyncJobProgress, sesame_sync_job_progress_free)

SesameImportSummary   *sesame_sync_job_progress_dup_import_summary (const SesameSyncJobProgress *progress);

gboolean               sesame_sync_jobs_parse_progress  (const char             *json,
                                                         gsize                   length,
                                                         SesameSyncJobProgress  *progress,
                                                         GError                **error);

SesameSyncJobProgress *sesame_sync_jobs_run_import      (SesameStore            *desk,
                                                         const char * const     *paths,
                                                         const char * const     *establishments,
                                                         SesameImportFlags       flags,
                                                         SesameSyncJobCallback   callback,
                                                         gpointer                user_data,
                                                         GCancellable           *cancellable,
                                                         GError                **error);
void                   sesame_sync_jobs_run_import_async  (SesameStore          *desk,
                                                           const char * const   *paths,
                                                           const char * const   *establishments,
                                                           SesameImportFlags     flags,
                                                           SesameSyncJobCallback callback,
                                                           gpointer              user_data,
                                                           GDestroyNotify        user_data_destroy,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   ready,
                                                           gpointer              ready_data);
SesameSyncJobProgress *sesame_sync_jobs_run_import_finish (SesameStore          *desk,
                                                           GAsyncResult         *result,
                                                           GError              **error);

const char            *sesame_sync_job_progress_get_campaign_id (const SesameSyncJobProgress *progress);

SesameSyncJobProgress *sesame_sync_jobs_run_campaign    (SesameStore              *desk,
                                                         SesameCampaign           *campaign,
                                                         const char               *resume_id,
                                                         SesameSyncCampaignFlags   flags,
                                                         SesameSyncJobCallback     callback,
                                                         gpointer                  user_data,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);
void                   sesame_sync_jobs_run_campaign_async  (SesameStore             *desk,
                                                             SesameCampaign          *campaign,
                                                             const char              *resume_id,
                                                             SesameSyncCampaignFlags  flags,
                                                             SesameSyncJobCallback    callback,
                                                             gpointer                 user_data,
                                                             GDestroyNotify           user_data_destroy,
                                                             GCancellable            *cancellable,
                                                             GAsyncReadyCallback      ready,
                                                             gpointer                 ready_data);
SesameSyncJobProgress *sesame_sync_jobs_run_campaign_finish (SesameStore             *desk,
                                                             GAsyncResult            *result,
                                                             GError                 **error);

char                  *sesame_sync_jobs_act_as          (SesameStore            *server,
                                                         const char             *desk_id,
                                                         const char             *ticket,
                                                         GError                **error);

G_END_DECLS
