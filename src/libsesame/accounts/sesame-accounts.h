/* sesame-accounts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-person.h"
#include "sesame-store.h"

G_BEGIN_DECLS

SesamePerson  *sesame_accounts_find                 (SesameStore  *self,
                                                    const char   *login,
                                                    GError      **error);
SesamePerson  *sesame_accounts_find_person          (SesameStore  *self,
                                                    const char   *key,
                                                    GError      **error);
GListModel    *sesame_accounts_list_relatives       (SesameStore  *self,
                                                    const char   *key,
                                                    GError      **error);
char         **sesame_accounts_list_subjects_taught (SesameStore  *self,
                                                    const char   *key,
                                                    GError      **error);
gboolean       sesame_accounts_check_new_login      (SesameStore  *self,
                                                    const char   *person_key,
                                                    const char   *new_login,
                                                    GError      **error);
gboolean       sesame_accounts_set_login            (SesameStore  *self,
                                                    const char   *login,
                                                    const char   *new_login,
                                                    GError      **error);
gboolean       sesame_accounts_record_login_shown   (SesameStore  *self,
                                                    const char   *login,
                                                    gboolean      identity_checked,
                                                    GError      **error);
char          *sesame_accounts_reset_password       (SesameStore  *self,
                                                    const char   *login,
                                                    GError      **error);
char          *sesame_accounts_reset_password_checked (SesameStore  *self,
                                                      const char   *login,
                                                      gboolean      identity_checked,
                                                      GError      **error);

G_END_DECLS
