/* sesame-diffusion-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_DIFFUSION_PAGE (sesame_diffusion_page_get_type ())

G_DECLARE_FINAL_TYPE (SesameDiffusionPage, sesame_diffusion_page, SESAME, DIFFUSION_PAGE, AdwBin)

GtkWidget  *sesame_diffusion_page_new             (SesameStore         *store);
void        sesame_diffusion_page_reload          (SesameDiffusionPage *self);
gboolean    sesame_diffusion_page_get_busy        (SesameDiffusionPage *self);
gboolean    sesame_diffusion_page_get_sending     (SesameDiffusionPage *self);
gboolean    sesame_diffusion_page_get_progress    (SesameDiffusionPage *self,
                                                   guint               *sent,
                                                   guint               *total,
                                                   gboolean            *paused);
void        sesame_diffusion_page_get_recipients  (SesameDiffusionPage *self,
                                                   guint               *with_address,
                                                   guint               *without_address);
const char *sesame_diffusion_page_get_campaign_id (SesameDiffusionPage *self);
void        sesame_diffusion_page_refresh         (SesameDiffusionPage *self);

G_END_DECLS
