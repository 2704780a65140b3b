/* sesame-operators.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

/* The shortest operator passphrase the core accepts. */
#define SESAME_OPERATOR_PASSPHRASE_MIN_LENGTH 10
/* How long an enrolment code stays valid, in days. */
#define SESAME_ENROLMENT_CODE_DAYS 7
/* Wrong passphrases allowed for a login before each attempt must wait. */
#define SESAME_SIGN_IN_FREE_FAILURES 5

/**
 * SesameEnrolment:
 * @login: the login of the member of staff who will enrol
 * @name: their name, "First LAST"
 * @code: the one-time code, e.g. "K7QM-4XTB-9PRH": shown once, never stored
 * @expires_at: when the code stops working, in seconds since the Unix epoch
 *
 * An enrolment code just made for a new operator.
 */
typedef struct
{
  char   *login;
  char   *name;
  char   *code;
  gint64  expires_at;
} SesameEnrolment;

/**
 * SesameOperatorInfo:
 * @login: the operator's login
 * @key: their directory key
 * @name: their name, "First LAST"
 * @role: "admin" or "manager"
 * @has_passphrase: whether they set an operator passphrase
 * @passphrase_set_at: when, or 0
 * @code_pending: whether an enrolment code waits to be used
 * @code_expires_at: when that code expires, or 0
 * @last_sign_in_at: when they last signed in, or 0
 *
 * One line of the table of operators: never a code or a hash.
 */
typedef struct
{
  char     *login;
  char     *key;
  char     *name;
  char     *role;
  gboolean  has_passphrase;
  gint64    passphrase_set_at;
  gboolean  code_pending;
  gint64    code_expires_at;
  gint64    last_sign_in_at;
} SesameOperatorInfo;

#define SESAME_TYPE_ENROLMENT (sesame_enrolment_get_type ())
#define SESAME_TYPE_OPERATOR_INFO (sesame_operator_info_get_type ())

GType               sesame_enrolment_get_type       (void) G_GNUC_CONST;
SesameEnrolment    *sesame_enrolment_copy           (const SesameEnrolment    *enrolment);
void                sesame_enrolment_free           (SesameEnrolment          *enrolment);
GType               sesame_operator_info_get_type   (void) G_GNUC_CONST;
SesameOperatorInfo *sesame_operator_info_copy       (const SesameOperatorInfo *info);
void                sesame_operator_info_free       (SesameOperatorInfo       *info);

gboolean            sesame_operators_exist          (SesameStore  *self);
char              **sesame_operators_dup_logins      (SesameStore *self);
gboolean            sesame_operators_check_passphrase      (SesameStore  *self,
                                                            const char   *login,
                                                            const char   *passphrase,
                                                            GError      **error);
gboolean            sesame_operators_set_up         (SesameStore  *self,
                                                     const char   *login,
                                                     const char   *passphrase,
                                                     GError      **error);
SesameEnrolment    *sesame_enrolment_invite_operator (SesameStore  *self,
                                                      const char   *login,
                                                      GError      **error);
gboolean            sesame_enrolment_grant_role        (SesameStore       *self,
                                                        const char        *login,
                                                        SesameRoleScope    scope,
                                                        SesameEnrolment  **enrolment,
                                                        GError           **error);
gboolean            sesame_enrolment_grant_admin        (SesameStore       *self,
                                                         const char        *login,
                                                         SesameRoleScope    scope,
                                                         SesameEnrolment  **enrolment,
                                                         GError           **error);
gboolean            sesame_enrolment_enrol          (SesameStore  *self,
                                                     const char   *login,
                                                     const char   *code,
                                                     const char   *passphrase,
                                                     GError      **error);
gboolean            sesame_operators_sign_in        (SesameStore  *self,
                                                     const char   *login,
                                                     const char   *passphrase,
                                                     GError      **error);
gint64              sesame_operators_get_sign_in_wait (SesameStore  *self,
                                                       const char   *login);
GPtrArray          *sesame_operators_list           (SesameStore  *self,
                                                     GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameEnrolment, sesame_enrolment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameOperatorInfo, sesame_operator_info_free)

G_END_DECLS
