/* sesame-sync-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"
#include "sesame-sync.h"

G_BEGIN_DECLS

#define SESAME_SYNC_CLIENT_ERROR (sesame_sync_client_error_quark ())

/**
 * SesameSyncClientError:
 * @SESAME_SYNC_CLIENT_ERROR_UNREACHABLE: the server cannot be reached
 * @SESAME_SYNC_CLIENT_ERROR_FINGERPRINT: the server's certificate is not
 *   the one pinned or given
 * @SESAME_SYNC_CLIENT_ERROR_REFUSED: the server refused the request (a
 *   wrong code, a revoked desk, a wrong passphrase)
 * @SESAME_SYNC_CLIENT_ERROR_PROTOCOL: the server's answer makes no sense
 * @SESAME_SYNC_CLIENT_ERROR_NOT_JOINED: this store joined no server
 *
 * Errors of the desk's link to sesame-server.
 */
typedef enum
{
  SESAME_SYNC_CLIENT_ERROR_UNREACHABLE,
  SESAME_SYNC_CLIENT_ERROR_FINGERPRINT,
  SESAME_SYNC_CLIENT_ERROR_REFUSED,
  SESAME_SYNC_CLIENT_ERROR_PROTOCOL,
  SESAME_SYNC_CLIENT_ERROR_NOT_JOINED,
} SesameSyncClientError;

/**
 * SesameSyncJoinReport:
 * @desk: the desk's name on the server
 * @fingerprint: the SHA-256 fingerprint of the server's certificate, pinned
 * @snapshot_bytes: the size of the snapshot downloaded
 * @seconds: how long joining took
 *
 * What sesame_sync_client_join() did.
 */
typedef struct
{
  char    *desk;
  char    *fingerprint;
  guint64  snapshot_bytes;
  double   seconds;
} SesameSyncJoinReport;

/**
 * SesameSyncRefusal:
 * @entry_id: the outbox entry refused
 * @operator: whose change it was
 * @action: what the change was
 * @desk_time: when the desk made it
 * @reason: the server's reason
 *
 * A change the server refused in a round.
 */
typedef struct
{
  char   *entry_id;
  char   *operator;
  char   *action;
  gint64  desk_time;
  char   *reason;
} SesameSyncRefusal;

void         sesame_sync_refusal_free            (SesameSyncRefusal *refusal);

/**
 * SesameSyncRoundReport:
 * @pulled: feed entries applied
 * @accepted: pushed entries the server accepted
 * @refused: (element-type SesameSyncRefusal): pushed entries the server
 *   refused, each with its reason
 * @stale: pushed entries to push again after the next pull
 *
 * What one sync round did.
 */
typedef struct
{
  guint      pulled;
  guint      accepted;
  GPtrArray *refused;
  guint      stale;
} SesameSyncRoundReport;

GQuark       sesame_sync_client_error_quark      (void);

void         sesame_sync_join_report_clear       (SesameSyncJoinReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SesameSyncJoinReport, sesame_sync_join_report_clear)
void         sesame_sync_round_report_clear      (SesameSyncRoundReport *report);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SesameSyncRoundReport, sesame_sync_round_report_clear)

char        *sesame_sync_client_normalize_fingerprint (const char *fingerprint);

SesameStore *sesame_sync_client_join             (const char            *store_path,
                                                  const char            *url,
                                                  const char            *code,
                                                  const char            *fingerprint,
                                                  SesameSyncJoinReport  *report,
                                                  GError               **error);
SesameStore *sesame_sync_client_join_full        (const char            *store_path,
                                                  const char            *url,
                                                  const char            *code,
                                                  const char            *fingerprint,
                                                  GCancellable          *cancellable,
                                                  SesameSyncJoinReport  *report,
                                                  GError               **error);
char        *sesame_sync_client_dup_server       (SesameStore           *store);
gboolean     sesame_sync_client_sign_in          (SesameStore           *store,
                                                  const char            *login,
                                                  const char            *passphrase,
                                                  gboolean              *offline,
                                                  GError               **error);
gboolean     sesame_sync_client_sign_in_full     (SesameStore           *store,
                                                  const char            *login,
                                                  const char            *passphrase,
                                                  GCancellable          *cancellable,
                                                  gboolean              *offline,
                                                  GError               **error);
GBytes      *sesame_sync_client_request          (SesameStore           *store,
                                                  const char            *method,
                                                  const char            *path,
                                                  GBytes                *body,
                                                  guint                 *status,
                                                  GError               **error);
gboolean     sesame_sync_client_run_round        (SesameStore           *store,
                                                  SesameSyncRoundReport *report,
                                                  GError               **error);

G_END_DECLS
