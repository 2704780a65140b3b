/* sesame-campaign-eligibility-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Whom a campaign may target, for the campaigns' queries and the preview
 * of their message.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-campaign-eligibility-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-campaign-private.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* The columns of the statement _sesame_campaign_eligibility_prepare()
 * returns. */
enum
{
  SESAME_ELIGIBLE_KEY,
  SESAME_ELIGIBLE_LOGIN,
  SESAME_ELIGIBLE_LAST_NAME,
  SESAME_ELIGIBLE_FIRST_NAME,
  SESAME_ELIGIBLE_PROFILE,
  SESAME_ELIGIBLE_EMAIL,
  SESAME_ELIGIBLE_STRUCTURE,
  SESAME_ELIGIBLE_UAI,
};

gboolean      _sesame_campaign_eligibility_check_profiles         (SesameCampaign  *campaign,
                                                                   GError         **error);
void          _sesame_campaign_eligibility_default_establishment  (SesameStore     *self,
                                                                   SesameCampaign  *campaign);
gboolean      _sesame_campaign_eligibility_check_establishment    (SesameStore     *self,
                                                                   SesameCampaign  *campaign,
                                                                   GError         **error);
gboolean      _sesame_campaign_eligibility_check_target           (SesameStore     *self,
                                                                   SesameCampaign  *campaign,
                                                                   GError         **error);
sqlite3_stmt *_sesame_campaign_eligibility_prepare                (SesameStore     *self,
                                                                   SesameCampaign  *campaign,
                                                                   GError         **error);

G_END_DECLS
