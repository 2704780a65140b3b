/* sesame-campaign-report-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The send report mailed to the operator at the end of a campaign, for
 * the sender's run and the tests.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-campaign-report-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-campaign.h"
#include "sesame-campaign-report.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-client.h"
#include "sesame-smtp-settings.h"

G_BEGIN_DECLS

GMimeMessage *_sesame_campaign_report_compose          (SesameStore         *self,
                                                        SesameCampaign      *campaign,
                                                        SesameSmtpSettings  *settings,
                                                        const char          *to_name,
                                                        const char          *to_address,
                                                        GError             **error);
gboolean      _sesame_campaign_report_mail_to_operator (SesameStore         *self,
                                                        SesameCampaign      *campaign,
                                                        SesameSmtpSettings  *settings,
                                                        SesameSmtpClient    *client,
                                                        GError             **error);

G_END_DECLS
