/* sesame-sync-desks.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

/* How long a desk's enrolment code stays valid, in seconds (24 h). */
#define SESAME_SYNC_DESK_CODE_SECONDS (24 * 60 * 60)
/* How far a signed request's time may stray from the server's clock. */
#define SESAME_SYNC_REQUEST_WINDOW_SECONDS 300
/* How long an operator's ticket, signed at an online sign-in, is good for. */
#define SESAME_SYNC_TICKET_SECONDS (30 * 24 * 60 * 60)

/* The headers of a signed request. */
#define SESAME_SYNC_HEADER_DESK      "Sesame-Desk"
#define SESAME_SYNC_HEADER_TIME      "Sesame-Time"
#define SESAME_SYNC_HEADER_NONCE     "Sesame-Nonce"
#define SESAME_SYNC_HEADER_SIGNATURE "Sesame-Signature"

/**
 * SesameSyncDesk:
 * @id: the desk's global key (a UUID)
 * @name: the name the administrator gave it
 * @establishments: (array zero-terminated=1): the UAIs it serves; empty
 *   for every establishment of the store
 * @created_at: when it was added
 * @created_by: who added it
 * @code_expires_at: when its enrolment code stops working
 * @enrolled_at: when it enrolled, 0 if not yet
 * @revoked_at: when it was revoked, 0 if it was not
 * @public_key: (nullable): its Ed25519 public key in hexadecimal, once enrolled
 *
 * A desk the server knows.
 */
typedef struct
{
  char    *id;
  char    *name;
  char   **establishments;
  gint64   created_at;
  char    *created_by;
  gint64   code_expires_at;
  gint64   enrolled_at;
  gint64   revoked_at;
  char    *public_key;
} SesameSyncDesk;

#define SESAME_TYPE_SYNC_DESK (sesame_sync_desk_get_type ())

GType           sesame_sync_desk_get_type      (void) G_GNUC_CONST;
SesameSyncDesk *sesame_sync_desk_copy          (const SesameSyncDesk *desk);
void            sesame_sync_desk_free          (SesameSyncDesk       *desk);

SesameSyncDesk *sesame_sync_desks_add          (SesameStore         *store,
                                                const char          *name,
                                                const char * const  *establishments,
                                                char               **code,
                                                GError             **error);
GPtrArray      *sesame_sync_desks_list         (SesameStore         *store,
                                                GError             **error);
SesameSyncDesk *sesame_sync_desks_lookup       (SesameStore         *store,
                                                const char          *id,
                                                GError             **error);
gboolean        sesame_sync_desks_revoke       (SesameStore         *store,
                                                const char          *name,
                                                GError             **error);
SesameSyncDesk *sesame_sync_desks_enrol        (SesameStore         *store,
                                                const char          *code,
                                                const char          *public_key,
                                                GError             **error);

char           *sesame_sync_desks_request_message (const char    *method,
                                                   const char    *path,
                                                   const char    *desk_id,
                                                   gint64         time,
                                                   const char    *nonce,
                                                   gconstpointer  body,
                                                   gsize          body_length);
SesameSyncDesk *sesame_sync_desks_verify_request  (SesameStore   *store,
                                                   const char    *method,
                                                   const char    *path,
                                                   const char    *desk_id,
                                                   const char    *time,
                                                   const char    *nonce,
                                                   const char    *signature,
                                                   gconstpointer  body,
                                                   gsize          body_length,
                                                   GError       **error);

char           *sesame_sync_desks_issue_ticket    (SesameStore   *store,
                                                   const char    *desk_id,
                                                   const char    *login,
                                                   gint64        *expires_at,
                                                   GError       **error);
char           *sesame_sync_desks_check_ticket    (SesameStore   *store,
                                                   const char    *desk_id,
                                                   const char    *ticket,
                                                   GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameSyncDesk, sesame_sync_desk_free)

G_END_DECLS
