/* sesame-login-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-login-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-login.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

gboolean        _sesame_login_is_taken  (SesameStore     *self,
                                         const char      *login,
                                         const char      *except_key);
char           *_sesame_login_find_free (SesameStore     *self,
                                         const char      *first_name,
                                         const char      *last_name);

/* The logins of a store, in memory: for writers that create many accounts
 * inside one transaction. */
typedef struct _SesameLoginSet SesameLoginSet;

SesameLoginSet *_sesame_login_set_load  (SesameStore     *self,
                                         GError         **error);
char           *_sesame_login_set_take  (SesameLoginSet  *set,
                                         const char      *first_name,
                                         const char      *last_name);
void            _sesame_login_set_free  (SesameLoginSet  *set);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameLoginSet, _sesame_login_set_free)

G_END_DECLS
