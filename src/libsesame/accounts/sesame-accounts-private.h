/* sesame-accounts-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-accounts-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-accounts.h"
#include "sesame-login-private.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

gboolean  _sesame_accounts_create             (SesameStore    *self,
                                              SesameLoginSet *logins,
                                              const char     *person_key,
                                              SesameProfile   profile,
                                              const char     *first_name,
                                              const char     *last_name,
                                              const char     *import_id,
                                              GError        **error);
gboolean  _sesame_accounts_disable            (SesameStore    *self,
                                              const char     *person_key,
                                              GError        **error);
gboolean  _sesame_accounts_enable             (SesameStore    *self,
                                              const char     *person_key,
                                              GError        **error);

G_END_DECLS
