/* sesame-campaign-message-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Composing the message of one recipient, for the sender's run, the
 * activation email and the send report.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-campaign-message-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-campaign-message.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-settings.h"

G_BEGIN_DECLS

GMimeMessage *_sesame_campaign_message_compose         (SesameStore         *self,
                                                        SesameCampaign      *campaign,
                                                        SesameSmtpSettings  *settings,
                                                        const char          *login,
                                                        const char          *first_name,
                                                        const char          *last_name,
                                                        const char          *address,
                                                        const char          *structure,
                                                        const char          *token,
                                                        GError             **error);
char         *_sesame_campaign_message_compose_text    (SesameStore         *self,
                                                        SesameCampaign      *campaign,
                                                        const char          *login,
                                                        const char          *first_name,
                                                        const char          *last_name,
                                                        const char          *structure,
                                                        const char          *token);
char         *_sesame_campaign_message_display_name    (const char          *first_name,
                                                        const char          *last_name);
char         *_sesame_campaign_message_dup_ent_url     (SesameStore         *self,
                                                        GError             **error);
char         *_sesame_campaign_message_page_link       (const char          *ent_url,
                                                        const char          *page,
                                                        const char          *token);
char         *_sesame_campaign_message_activation_link (const char          *ent_url,
                                                        const char          *token);

G_END_DECLS
