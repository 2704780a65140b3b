/* sesame-campaign-report.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-store.h"

G_BEGIN_DECLS

GBytes  *sesame_campaign_report_render                    (SesameStore  *self,
                                                           const char   *id,
                                                           GError      **error);
GBytes  *sesame_campaign_report_render_without_address    (SesameStore  *self,
                                                           const char   *id,
                                                           GError      **error);
gboolean sesame_campaign_report_export                    (SesameStore  *self,
                                                           const char   *id,
                                                           const char   *path,
                                                           GError      **error);
gboolean sesame_campaign_report_export_without_address    (SesameStore  *self,
                                                           const char   *id,
                                                           const char   *path,
                                                           GError      **error);
char   **sesame_campaign_report_list_keys_without_address (SesameStore  *self,
                                                           const char   *id,
                                                           GError      **error);

G_END_DECLS
