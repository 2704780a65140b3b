/* sesame-accounts-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-accounts-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-accounts.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* The logins of a store, in memory: for writers that create many accounts
 * inside one transaction. */
typedef struct _SesameLoginSet SesameLoginSet;

SesameLoginSet *_sesame_login_set_load       (SesameStore     *self,
                                              GError         **error);
char           *_sesame_login_set_take       (SesameLoginSet  *set,
                                              const char      *first_name,
                                              const char      *last_name);
void            _sesame_login_set_free       (SesameLoginSet  *set);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameLoginSet, _sesame_login_set_free)

/* Creates the account of a person written by an import, who has none,
 * inside the caller's transaction: a unique login from the names (found in
 * @logins when given, which must then hold every login of the store), and
 * for a distributable profile a first password. */
gboolean  _sesame_store_create_account       (SesameStore    *self,
                                              SesameLoginSet *logins,
                                              const char     *person_key,
                                              SesameProfile   profile,
                                              const char     *first_name,
                                              const char     *last_name,
                                              const char     *import_id,
                                              GError        **error);

/* Disables the accounts of persons who left, inside the caller's transaction. */
gboolean  _sesame_store_disable_account      (SesameStore   *self,
                                              const char    *person_key,
                                              GError       **error);
/* Enables again the account of a person who came back. */
gboolean  _sesame_store_enable_account       (SesameStore   *self,
                                              const char    *person_key,
                                              GError       **error);

/* The first password that works now for this person, or NULL. Core use
 * only: identifier files, slips and letters. */
char     *_sesame_store_dup_first_password   (SesameStore   *self,
                                              const char    *person_key);

/* The live first password of a person: the newest credential not used,
 * revoked, purged or expired. */
gboolean  _sesame_store_live_credential      (SesameStore   *self,
                                              const char    *person_key,
                                              char         **id,
                                              char         **password);

/* Fills a person from the store without checking permissions. */
SesamePerson *_sesame_store_load_person      (SesameStore   *self,
                                              const char    *person_key,
                                              GError       **error);

G_END_DECLS
