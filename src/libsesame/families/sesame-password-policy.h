/* sesame-password-policy.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

int       sesame_password_policy_get_min_length (SesameStore  *self);
char     *sesame_password_policy_describe       (SesameStore  *self);
gboolean  sesame_password_policy_check          (SesameStore  *self,
                                                 const char   *login,
                                                 const char   *password,
                                                 const char   *confirmation,
                                                 GError      **error);
char     *sesame_password_policy_hash           (const char   *password,
                                                 GError      **error);
gboolean  sesame_password_policy_set_password   (SesameStore  *self,
                                                 const char   *person_key,
                                                 const char   *password,
                                                 GError      **error);

G_END_DECLS
