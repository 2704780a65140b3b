/* sesame-accounts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-person.h"
#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameAuthResult:
 * @SESAME_AUTH_REFUSED: wrong login or password, or a disabled account
 * @SESAME_AUTH_ACCEPTED: signed in
 * @SESAME_AUTH_MUST_CHANGE: signed in with a first password: the person must
 *   choose their own password now
 */
typedef enum
{
  SESAME_AUTH_REFUSED,
  SESAME_AUTH_ACCEPTED,
  SESAME_AUTH_MUST_CHANGE,
} SesameAuthResult;

char             *sesame_login_make                 (const char   *first_name,
                                                     const char   *last_name);
gboolean          sesame_login_is_valid             (const char   *login,
                                                     GError      **error);
char             *sesame_password_generate          (guint         length);

SesamePerson     *sesame_accounts_find              (SesameStore  *self,
                                                     const char   *login,
                                                     GError      **error);
SesamePerson     *sesame_accounts_find_person       (SesameStore  *self,
                                                     const char   *key,
                                                     GError      **error);
GListModel       *sesame_accounts_list_relatives    (SesameStore  *self,
                                                     const char   *key,
                                                     GError      **error);
gboolean          sesame_accounts_check_new_login   (SesameStore  *self,
                                                     const char   *person_key,
                                                     const char   *new_login,
                                                     GError      **error);
gboolean          sesame_accounts_set_login         (SesameStore  *self,
                                                     const char   *login,
                                                     const char   *new_login,
                                                     GError      **error);
char             *sesame_accounts_reset_password    (SesameStore  *self,
                                                     const char   *login,
                                                     GError      **error);
char             *sesame_accounts_reset_password_checked (SesameStore  *self,
                                                          const char   *login,
                                                          gboolean      identity_checked,
                                                          GError      **error);
gboolean          sesame_accounts_record_login_shown (SesameStore  *self,
                                                      const char   *login,
                                                      gboolean      identity_checked,
                                                      GError      **error);
char            **sesame_accounts_list_subjects_taught (SesameStore  *self,
                                                        const char   *key,
                                                        GError      **error);
SesameAuthResult  sesame_passwords_authenticate     (SesameStore  *self,
                                                     const char   *login,
                                                     const char   *password,
                                                     GError      **error);
gboolean          sesame_passwords_change           (SesameStore  *self,
                                                     const char   *login,
                                                     const char   *old_password,
                                                     const char   *new_password,
                                                     GError      **error);

G_END_DECLS
