/* sesame-activation-tokens-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issuing and revoking activation tokens, for the files of campaigns/
 * that send messages carrying them.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-activation-tokens-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-activation-tokens.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* Inside the caller's transaction. The token itself is returned once and
 * never stored: only its hash is. */
char     *_sesame_activation_tokens_issue              (SesameStore  *self,
                                                        const char   *person_key,
                                                        const char   *campaign_id,
                                                        char        **token_id,
                                                        GError      **error);
gboolean  _sesame_activation_tokens_revoke             (SesameStore  *self,
                                                        const char   *token_id,
                                                        GError      **error);
gboolean  _sesame_activation_tokens_revoke_for_campaign (SesameStore  *self,
                                                        const char   *campaign_id,
                                                        const char   *person_key,
                                                        GError      **error);

G_END_DECLS
