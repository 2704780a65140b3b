/* sesame-staff-picker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_STAFF_PICKER (sesame_staff_picker_get_type ())

G_DECLARE_FINAL_TYPE (SesameStaffPicker, sesame_staff_picker, SESAME, STAFF_PICKER, AdwBin)

void         sesame_staff_picker_set_store      (SesameStaffPicker *self,
                                                 SesameStore       *store);
void         sesame_staff_picker_set_text       (SesameStaffPicker *self,
                                                 const char        *text);
GListModel  *sesame_staff_picker_get_results    (SesameStaffPicker *self);
gboolean     sesame_staff_picker_select         (SesameStaffPicker *self,
                                                 const char        *login);
guint        sesame_staff_picker_get_n_selected (SesameStaffPicker *self);
char       **sesame_staff_picker_dup_selected   (SesameStaffPicker *self);
void         sesame_staff_picker_grab_focus     (SesameStaffPicker *self);

G_END_DECLS
