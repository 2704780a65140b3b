/* sesame-operators-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the operators' modules share (sesame-operators.c: passphrases,
 * throttle, sign-in; sesame-enrolment.c: enrolment codes), and what the
 * audit trail needs of them.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-operators-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-audit.h"
#include "sesame-operators.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* What the store knows of the person behind a login. */
typedef struct
{
  char          *key;
  char          *login;
  char          *name;
  char          *hash;          /* newest operator passphrase, or NULL */
  SesameProfile  profile;
  gboolean       left;
} SesameOperatorRow;

void      _sesame_operator_row_clear            (SesameOperatorRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SesameOperatorRow, _sesame_operator_row_clear)

/* Trimmed and in lower case, as logins are. */
char     *_sesame_operators_normalize_login     (const char        *login);
/* The login the throttle counts under: a hash for an unknown login. */
char     *_sesame_operators_dup_attempt_login   (const char        *normalized,
                                                 SesameOperatorRow *row);
/* FALSE with no error when the login is unknown. */
gboolean  _sesame_operators_load_row            (SesameStore       *self,
                                                 const char        *login,
                                                 SesameOperatorRow *row,
                                                 GError           **error);
/* The member of staff behind a login, in post: never a pupil or a parent. */
gboolean  _sesame_operators_load_staff          (SesameStore       *self,
                                                 const char        *login,
                                                 SesameOperatorRow *row,
                                                 GError           **error);
gboolean  _sesame_operators_check_policy        (SesameStore       *self,
                                                 const char        *login,
                                                 const char        *key,
                                                 const char        *passphrase,
                                                 GError           **error);
char     *_sesame_operators_hash_passphrase     (const char        *passphrase,
                                                 GError           **error);
/* Within a transaction: the newest passphrase of the person. */
gboolean  _sesame_operators_insert_passphrase   (SesameStore       *self,
                                                 const char        *key,
                                                 const char        *hash,
                                                 const char        *via,
                                                 GError           **error);
/* sesame_operators_sign_in(), given up (no sign-in, none recorded) when
 * CANCELLABLE is cancelled before the passphrase is found right. */
gboolean  _sesame_operators_sign_in_cancellable (SesameStore       *self,
                                                 const char        *login,
                                                 const char        *passphrase,
                                                 GCancellable      *cancellable,
                                                 GError           **error);
/* Seconds before the next attempt under ATTEMPT_LOGIN, 0 if none. */
gint64    _sesame_operators_sign_in_wait        (SesameStore       *self,
                                                 const char        *attempt_login);
/* Within a transaction: one attempt, right or wrong. */
gboolean  _sesame_operators_record_attempt      (SesameStore       *self,
                                                 const char        *attempt_login,
                                                 const char        *key,
                                                 const char        *kind,
                                                 gboolean           succeeded,
                                                 GError           **error);
/* A refusal, in a transaction of its own: counted for the throttle when
 * COUNTS, and audited with REASON, never with what was typed. */
void      _sesame_operators_record_refusal      (SesameStore       *self,
                                                 const char        *attempt_login,
                                                 SesameOperatorRow *row,
                                                 const char        *kind,
                                                 gboolean           counts,
                                                 const char        *action,
                                                 const char        *reason);
void      _sesame_operators_set_throttled_error (const char        *login,
                                                 gint64             wait,
                                                 GError           **error);

/* A translated sentence for an audit entry whose action starts with
 * "operator-": setting up, invitations, enrolments and sign-ins. */
char     *_sesame_operators_describe_audit      (const SesameAuditEntry *entry);

G_END_DECLS
