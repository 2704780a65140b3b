/* sesame-campaigns-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading a campaign from the store without the operator's checks, for
 * the sender's run, which checks them itself on its own connection.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-campaigns-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-campaigns.h"

G_BEGIN_DECLS

SesameCampaign *_sesame_campaigns_load             (SesameStore          *self,
                                                    const char           *id,
                                                    GError              **error);
gboolean        _sesame_campaigns_count_recipients (SesameStore          *self,
                                                    const char           *id,
                                                    SesameCampaignCounts *counts,
                                                    GError              **error);

G_END_DECLS
