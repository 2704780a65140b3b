/* sesame-notices.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-smtp-settings.h"
#include "sesame-store.h"

G_BEGIN_DECLS

/* How many times a notice is tried before it is reported as failed. */
#define SESAME_NOTICE_MAX_ATTEMPTS 5

/**
 * SesameNoticeState:
 * @SESAME_NOTICE_PENDING: not sent yet, to be tried (again)
 * @SESAME_NOTICE_SENT: the mail server accepted it
 * @SESAME_NOTICE_FAILED: refused, or tried %SESAME_NOTICE_MAX_ATTEMPTS times
 *
 * Where an operator's notice of a regenerated password stands.
 */
typedef enum
{
  SESAME_NOTICE_PENDING,
  SESAME_NOTICE_SENT,
  SESAME_NOTICE_FAILED,
} SesameNoticeState;

/**
 * SesameNotice:
 * @id: the notice's UUID
 * @operator: who regenerated the password
 * @login: the account whose password was regenerated
 * @address: where the notice goes: the operator's address
 * @created_at: when the password was regenerated
 * @state: where it stands
 * @attempts: how many times it was tried
 * @last_error: (nullable): the last failure, as the server or the network said
 *
 * The operator's copy of a regenerated password, by email. It never holds
 * the password.
 */
typedef struct
{
  char              *id;
  char              *operator;
  char              *login;
  char              *address;
  gint64             created_at;
  SesameNoticeState  state;
  guint              attempts;
  char              *last_error;
} SesameNotice;

void       sesame_notice_free                 (SesameNotice        *notice);

gboolean   sesame_notices_get_wanted          (SesameStore         *self);
gboolean   sesame_notices_set_wanted          (SesameStore         *self,
                                               gboolean             wanted,
                                               GError             **error);
char      *sesame_notices_dup_operator_address (SesameStore         *self);
GPtrArray *sesame_notices_list                (SesameStore         *self,
                                               GError             **error);
guint      sesame_notices_count_pending       (SesameStore         *self);
gboolean   sesame_notices_send                (SesameStore         *self,
                                               SesameSmtpSettings  *settings,
                                               const char          *password,
                                               GCancellable        *cancellable,
                                               guint               *n_sent,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameNotice, sesame_notice_free)

G_END_DECLS
