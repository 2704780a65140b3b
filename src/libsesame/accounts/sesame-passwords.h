/* sesame-passwords.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameAuthResult:
 * @SESAME_AUTH_REFUSED: wrong login or password, or a disabled account
 * @SESAME_AUTH_ACCEPTED: signed in
 * @SESAME_AUTH_MUST_CHANGE: signed in with a first password: the person must
 *   choose their own password now
 *
 * The outcome of checking a login and password, telling a refusal from a
 * sign-in and from one that must first replace its password.
 */
typedef enum
{
  SESAME_AUTH_REFUSED,
  SESAME_AUTH_ACCEPTED,
  SESAME_AUTH_MUST_CHANGE,
} SesameAuthResult;

SesameAuthResult sesame_passwords_authenticate (SesameStore  *self,
                                                const char   *login,
                                                const char   *password,
                                                GError      **error);
gboolean         sesame_passwords_change       (SesameStore  *self,
                                                const char   *login,
                                                const char   *old_password,
                                                const char   *new_password,
                                                GError      **error);

G_END_DECLS
