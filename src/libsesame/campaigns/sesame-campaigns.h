/* sesame-campaigns.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-campaign.h"
#include "sesame-store.h"

G_BEGIN_DECLS

gboolean        sesame_campaigns_check           (SesameStore     *self,
                                                  SesameCampaign  *campaign,
                                                  GError         **error);
gboolean        sesame_campaigns_count           (SesameStore     *self,
                                                  SesameCampaign  *campaign,
                                                  guint           *with_address,
                                                  guint           *without_address,
                                                  GError         **error);
gboolean        sesame_campaigns_create          (SesameStore     *self,
                                                  SesameCampaign  *campaign,
                                                  GError         **error);
SesameCampaign *sesame_campaigns_find            (SesameStore     *self,
                                                  const char      *id,
                                                  GError         **error);
GPtrArray      *sesame_campaigns_list            (SesameStore     *self,
                                                  GError         **error);
GPtrArray      *sesame_campaigns_list_recipients (SesameStore     *self,
                                                  const char      *id,
                                                  GError         **error);

G_END_DECLS
