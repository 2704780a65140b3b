/* sesame-campaign-message.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-campaign.h"
#include "sesame-store.h"

G_BEGIN_DECLS

char *sesame_campaign_message_dup_default_subject (SesameStore     *self,
                                                   SesameCampaign  *campaign);
char *sesame_campaign_message_preview             (SesameStore     *self,
                                                   SesameCampaign  *campaign,
                                                   char           **to,
                                                   GError         **error);

G_END_DECLS
