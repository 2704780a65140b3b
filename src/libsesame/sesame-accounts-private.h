/* sesame-accounts-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-accounts.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* Creates the account of a person written by an import, who has none,
 * inside the caller's transaction: a unique login from the names, and for a
 * distributable profile a first password. */
gboolean  _sesame_store_create_account       (SesameStore   *self,
                                              const char    *person_key,
                                              SesameProfile  profile,
                                              const char    *first_name,
                                              const char    *last_name,
                                              const char    *import_id,
                                              GError       **error);

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
