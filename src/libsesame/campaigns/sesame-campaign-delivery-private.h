/* sesame-campaign-delivery-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One recipient's message, as the sender's run records it before and
 * after the mail server has it.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-campaign-delivery-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-campaign.h"
#include "sesame-campaign-lease-private.h"
#include "sesame-store-private.h"

G_BEGIN_DECLS

/* The waiting recipient due next, with the person as the directory has
 * them now, and the attempt in progress once begun. */
typedef struct
{
  char     *person_key;
  char     *login;
  char     *first_name;
  char     *last_name;
  char     *address;
  char     *structure;
  guint     attempts;
  gint64    next_attempt_ms;
  gboolean  activated;
  gboolean  disabled;
  char     *attempt_id;
} SesameCampaignDelivery;

void     _sesame_campaign_delivery_clear             (SesameCampaignDelivery  *delivery);

gboolean _sesame_campaign_delivery_requeue_uncertain (SesameStore             *store,
                                                      const char              *campaign_id,
                                                      GError                 **error);
gboolean _sesame_campaign_delivery_recover           (SesameStore             *store,
                                                      const char              *campaign_id,
                                                      GError                 **error);
gboolean _sesame_campaign_delivery_count_waiting     (SesameStore             *store,
                                                      const char              *campaign_id,
                                                      guint                   *waiting,
                                                      GError                 **error);

gboolean _sesame_campaign_delivery_next              (SesameStore             *store,
                                                      const char              *campaign_id,
                                                      SesameCampaignDelivery  *delivery,
                                                      GError                 **error);
gboolean _sesame_campaign_delivery_skip              (SesameStore             *store,
                                                      const char              *campaign_id,
                                                      SesameCampaignDelivery  *delivery,
                                                      SesameRecipientState     state,
                                                      const char              *reply,
                                                      GError                 **error);
char    *_sesame_campaign_delivery_begin             (SesameCampaignLease     *lease,
                                                      SesameCampaignDelivery  *delivery,
                                                      char                   **token_id,
                                                      GError                 **error);
gboolean _sesame_campaign_delivery_mark_data_sent    (SesameStore             *store,
                                                      const char              *campaign_id,
                                                      SesameCampaignDelivery  *delivery,
                                                      GError                 **error);

/* How an attempt ended. */
typedef struct
{
  SesameRecipientState  state;
  gboolean              counts_as_attempt;
  gint64                next_attempt_ms;
  const char           *reply;
  const char           *message_id;
  const char           *result;
} SesameCampaignOutcome;

gboolean _sesame_campaign_delivery_end               (SesameStore                 *store,
                                                      const char                  *campaign_id,
                                                      SesameCampaignDelivery      *delivery,
                                                      const SesameCampaignOutcome *outcome,
                                                      const char                  *token_id,
                                                      GError                     **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SesameCampaignDelivery, _sesame_campaign_delivery_clear)

G_END_DECLS
