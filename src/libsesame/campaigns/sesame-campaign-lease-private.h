/* sesame-campaign-lease-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The run lease: which run may send a campaign. Shared by the sender's
 * run, the recipients' deliveries and the campaigns' queries, which tell
 * a dead run from a live one.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-campaign-lease-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-campaign.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* A run that has not written for this long is taken as dead, even when its
 * process cannot be checked (another desk). */
#define SESAME_CAMPAIGN_STALE_SECONDS (10 * 60)

/* How often a run that holds a campaign says it still lives. */
#define SESAME_CAMPAIGN_HEARTBEAT_USEC (30 * G_USEC_PER_SEC)

typedef struct _SesameCampaignLease SesameCampaignLease;

gboolean             _sesame_campaign_lease_holder_is_alive (const char           *run_host,
                                                             gint64                run_pid,
                                                             gint64                heartbeat_at,
                                                             gint64                now);

SesameCampaignLease *_sesame_campaign_lease_new             (SesameStore          *store,
                                                             const char           *campaign_id);
void                 _sesame_campaign_lease_free            (SesameCampaignLease  *lease);
const char          *_sesame_campaign_lease_get_run_id      (SesameCampaignLease  *lease);
SesameStore         *_sesame_campaign_lease_get_store       (SesameCampaignLease  *lease);
const char          *_sesame_campaign_lease_get_campaign_id (SesameCampaignLease  *lease);

gboolean             _sesame_campaign_lease_check_available (SesameCampaignLease  *lease,
                                                             GError              **error);
gboolean             _sesame_campaign_lease_take            (SesameCampaignLease  *lease,
                                                             guint                 pending,
                                                             gboolean             *resumed,
                                                             GError              **error);
gboolean             _sesame_campaign_lease_write_state     (SesameCampaignLease  *lease,
                                                             SesameCampaignState   state,
                                                             GError              **error);
gboolean             _sesame_campaign_lease_heartbeat       (SesameCampaignLease  *lease,
                                                             GError              **error);
gboolean             _sesame_campaign_lease_release         (SesameCampaignLease  *lease,
                                                             SesameCampaignState   state,
                                                             const char           *last_error,
                                                             GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameCampaignLease, _sesame_campaign_lease_free)

G_END_DECLS
