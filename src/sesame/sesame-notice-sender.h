/* sesame-notice-sender.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sesame.h"

G_BEGIN_DECLS

void sesame_send_notices (GtkWidget   *widget,
                          SesameStore *store);

G_END_DECLS
