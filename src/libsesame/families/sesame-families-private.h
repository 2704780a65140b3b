/* sesame-families-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of families/ share: the one-time secrets they hand out
 * (session cookies, reset links) are made and hashed the same way, a
 * link's token is looked up and used by one function, and a
 * password chosen on any page is stored by one function.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-families-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-person.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* 32 random bytes (libsodium) in URL-safe base64 without padding. */
#define SESAME_FAMILIES_SECRET_CHARS 43

char     *_sesame_families_new_secret       (void);
gboolean  _sesame_families_secret_is_valid  (const char  *secret);
/* The BLAKE2b hash in hexadecimal: what the store keeps of a secret. */
char     *_sesame_families_hash_secret      (const char  *secret);
/* Both hashes in constant time (sodium_memcmp). */
gboolean  _sesame_families_hashes_equal     (const char  *a,
                                             const char  *b);

/* Inside the caller's transaction: hashes @password (Argon2id), makes it
 * the account's password, ends every first password and records a
 * sign-in. The policy was checked before. */
gboolean  _sesame_families_store_password   (SesameStore *self,
                                             const char  *person_key,
                                             const char  *password_hash,
                                             GError     **error);

typedef enum
{
  SESAME_FAMILIES_TOKEN_LIVE,
  SESAME_FAMILIES_TOKEN_UNKNOWN,
  SESAME_FAMILIES_TOKEN_USED,
  SESAME_FAMILIES_TOKEN_EXPIRED,
  SESAME_FAMILIES_TOKEN_DISABLED,
  SESAME_FAMILIES_TOKEN_FAILED,
} SesameFamiliesTokenState;

/* Looks a link's token up in @table (activation_tokens or
 * password_reset_tokens: a constant, never input). On LIVE, *id and
 * *person_key are set; on FAILED, @error is. */
SesameFamiliesTokenState _sesame_families_find_token (SesameStore  *self,
                                                      const char   *table,
                                                      const char   *token,
                                                      char        **id,
                                                      char        **person_key,
                                                      GError      **error);
/* Inside the caller's transaction: the token is used, and every other
 * live token of the person in @table stops working. */
gboolean                 _sesame_families_use_token  (SesameStore  *self,
                                                      const char   *table,
                                                      const char   *id,
                                                      const char   *person_key,
                                                      GError      **error);

/* Sets the password a link's page received: the token must be live
 * (else @state_error is called to say why), the policy holds, then in one
 * transaction the token is used, the password stored, the person's web
 * sessions ended and @audit_action recorded. Returns the person's key. */
typedef void (*SesameFamiliesTokenError) (SesameFamiliesTokenState   state,
                                          GError                   **error);
/* The account a link opens, without using the link: the token must be
 * live, else @state_error is called to say why. */
SesamePerson *_sesame_families_peek_token (SesameStore               *self,
                                           const char                *table,
                                           const char                *token,
                                           SesameFamiliesTokenError   state_error,
                                           GError                   **error);
char     *_sesame_families_complete_token (SesameStore              *self,
                                           const char               *table,
                                           const char               *token,
                                           const char               *password,
                                           const char               *confirmation,
                                           const char               *audit_action,
                                           SesameFamiliesTokenError  state_error,
                                           GError                  **error);

/* The account's login, or NULL when it has none. */
char     *_sesame_families_dup_login        (SesameStore *self,
                                             const char  *person_key);

G_END_DECLS
