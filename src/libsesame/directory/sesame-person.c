/* sesame-person.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "sesame-person-private.h"

/**
 * SesamePerson:
 *
 * A person of the directory and their ENT account, as the core read it for
 * the acting operator. A snapshot: it does not follow later changes.
 */
struct _SesamePerson
{
  GObject             parent_instance;

  char               *fields[SESAME_PERSON_N_FIELDS];
  char              **classes;
  char              **groups;
  SesameProfile       profile;
  SesameAccountState  state;
  gint64              account_created_at;
  gint64              first_sign_in_at;
  gint64              last_sign_in_at;
  guint               has_left : 1;
  guint               must_change_password : 1;
};

G_DEFINE_FINAL_TYPE (SesamePerson, sesame_person, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_LOGIN,
  PROP_LAST_NAME,
  PROP_FIRST_NAME,
  PROP_PROFILE_LABEL,
  PROP_STATE_LABEL,
  PROP_ESTABLISHMENT,
  PROP_ESTABLISHMENT_NAME,
  PROP_CLASSES_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sesame_person_finalize (GObject *object)
{
  SesamePerson *self = (SesamePerson *) object;

  for (guint i = 0; i < SESAME_PERSON_N_FIELDS; i++)
    g_free (self->fields[i]);
  g_strfreev (self->classes);
  g_strfreev (self->groups);

  G_OBJECT_CLASS (sesame_person_parent_class)->finalize (object);
}

static void
sesame_person_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SesamePerson *self = SESAME_PERSON (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, sesame_person_get_key (self));
      break;
    case PROP_LOGIN:
      g_value_set_string (value, sesame_person_get_login (self));
      break;
    case PROP_LAST_NAME:
      g_value_set_string (value, sesame_person_get_last_name (self));
      break;
    case PROP_FIRST_NAME:
      g_value_set_string (value, sesame_person_get_first_name (self));
      break;
    case PROP_PROFILE_LABEL:
      g_value_set_string (value, sesame_profile_to_label (self->profile));
      break;
    case PROP_STATE_LABEL:
      g_value_set_string (value, sesame_account_state_to_label (self->state));
      break;
    case PROP_ESTABLISHMENT:
      g_value_set_string (value, sesame_person_get_establishment (self));
      break;
    case PROP_ESTABLISHMENT_NAME:
      g_value_set_string (value, sesame_person_get_field (self, SESAME_PERSON_ESTABLISHMENT_NAME));
      break;
    case PROP_CLASSES_LABEL:
      g_value_take_string (value, sesame_person_dup_classes_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sesame_person_class_init (SesamePersonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sesame_person_finalize;
  object_class->get_property = sesame_person_get_property;

  /* Read-only properties, for list views and GtkExpression bindings. */
  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOGIN] =
    g_param_spec_string ("login", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_NAME] =
    g_param_spec_string ("last-name", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRST_NAME] =
    g_param_spec_string ("first-name", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE_LABEL] =
    g_param_spec_string ("profile-label", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_LABEL] =
    g_param_spec_string ("state-label", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ESTABLISHMENT] =
    g_param_spec_string ("establishment", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ESTABLISHMENT_NAME] =
    g_param_spec_string ("establishment-name", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLASSES_LABEL] =
    g_param_spec_string ("classes-label", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sesame_person_init (SesamePerson *self)
{
}

/**
 * sesame_person_new:
 *
 * An empty person, for the core to fill from the store: outside the core
 * persons come from sesame_accounts_find(), the search and the like.
 *
 * Returns: (transfer full): a new #SesamePerson
 */
SesamePerson *
sesame_person_new (void)
{
  return g_object_new (SESAME_TYPE_PERSON, NULL);
}

/**
 * sesame_person_get_field:
 * @self: a #SesamePerson
 * @field: which field
 *
 * Reads one of the person's text fields, as the directory gave it
 * (%SESAME_PERSON_MATCH excepted, which the search fills).
 *
 * Returns: the field's text, never %NULL (empty when unknown)
 */
const char *
sesame_person_get_field (SesamePerson      *self,
                         SesamePersonField  field)
{
  g_return_val_if_fail (SESAME_IS_PERSON (self), "");
  g_return_val_if_fail (field < SESAME_PERSON_N_FIELDS, "");

  return self->fields[field] ? self->fields[field] : "";
}

void
_sesame_person_set_field (SesamePerson      *self,
                          SesamePersonField  field,
                          const char        *value)
{
  g_return_if_fail (SESAME_IS_PERSON (self));
  g_return_if_fail (field < SESAME_PERSON_N_FIELDS);

  g_free (self->fields[field]);
  self->fields[field] = value && *value ? g_strdup (value) : NULL;
}

/**
 * sesame_person_get_key:
 * @self: a #SesamePerson
 *
 * Gives the key that stays the same when names, classes or logins change.
 *
 * Returns: (transfer none): the directory key (ENTPersonJointure) that
 *   names the person across imports
 */
const char *
sesame_person_get_key (SesamePerson *self)
{
  return sesame_person_get_field (self, SESAME_PERSON_KEY);
}

/**
 * sesame_person_get_login:
 * @self: a #SesamePerson
 *
 * Gives the person's login on the ENT.
 *
 * Returns: (transfer none): the ENT login, or "" when the person has no
 *   account
 */
const char *
sesame_person_get_login (SesamePerson *self)
{
  return sesame_person_get_field (self, SESAME_PERSON_LOGIN);
}

/**
 * sesame_person_get_last_name:
 * @self: a #SesamePerson
 *
 * Gives the name the person uses, as the directory spells it.
 *
 * Returns: (transfer none): the usage last name, or ""
 */
const char *
sesame_person_get_last_name (SesamePerson *self)
{
  return sesame_person_get_field (self, SESAME_PERSON_LAST_NAME);
}

/**
 * sesame_person_get_first_name:
 * @self: a #SesamePerson
 *
 * Gives the person's first name, as the directory spells it.
 *
 * Returns: (transfer none): the first name, or ""
 */
const char *
sesame_person_get_first_name (SesamePerson *self)
{
  return sesame_person_get_field (self, SESAME_PERSON_FIRST_NAME);
}

/**
 * sesame_person_dup_display_name:
 * @self: a #SesamePerson
 *
 * Writes the person's name for letters, slips and lists.
 *
 * Returns: (transfer full): "First LAST", the way French school letters
 *   write a name
 */
char *
sesame_person_dup_display_name (SesamePerson *self)
{
  g_autofree char *last = NULL;

  g_return_val_if_fail (SESAME_IS_PERSON (self), NULL);

  last = g_utf8_strup (sesame_person_get_last_name (self), -1);
  return g_strstrip (g_strdup_printf ("%s %s", sesame_person_get_first_name (self), last));
}

/**
 * sesame_person_get_establishment:
 * @self: a #SesamePerson
 *
 * Gives the establishment the person's account belongs to.
 *
 * Returns: (transfer none): the UAI of the person's establishment, or ""
 */
const char *
sesame_person_get_establishment (SesamePerson *self)
{
  return sesame_person_get_field (self, SESAME_PERSON_ESTABLISHMENT);
}

/**
 * sesame_person_get_profile:
 * @self: a #SesamePerson
 *
 * Gives the person's ENT profile, which decides whether Sésame distributes
 * their account.
 *
 * Returns: the person's profile (pupil, parent, teacher…)
 */
SesameProfile
sesame_person_get_profile (SesamePerson *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON (self), SESAME_PROFILE_NONE);
  return self->profile;
}

void
_sesame_person_set_profile (SesamePerson  *self,
                            SesameProfile  profile)
{
  g_return_if_fail (SESAME_IS_PERSON (self));
  self->profile = profile;
}

/**
 * sesame_person_get_state:
 * @self: a #SesamePerson
 *
 * Gives the state of the person's account as the store knew it when the
 * person was read.
 *
 * Returns: where the person's account stands: pending, active or disabled
 */
SesameAccountState
sesame_person_get_state (SesamePerson *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON (self), SESAME_ACCOUNT_STATE_PENDING);
  return self->state;
}

void
_sesame_person_set_state (SesamePerson       *self,
                          SesameAccountState  state)
{
  g_return_if_fail (SESAME_IS_PERSON (self));
  self->state = state;
}

/**
 * sesame_person_get_classes:
 * @self: a #SesamePerson
 *
 * Lists the person's classes. The array belongs to @self and is never
 * %NULL: a person without classes gives an empty array.
 *
 * Returns: (transfer none) (array zero-terminated=1): the codes of the
 *   person's classes (a pupil's classes, or the classes a member of staff
 *   teaches)
 */
const char * const *
sesame_person_get_classes (SesamePerson *self)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (SESAME_IS_PERSON (self), empty);
  return self->classes ? (const char * const *) self->classes : empty;
}

void
_sesame_person_set_classes (SesamePerson       *self,
                            const char * const *classes)
{
  g_return_if_fail (SESAME_IS_PERSON (self));
  g_strfreev (self->classes);
  self->classes = g_strdupv ((char **) classes);
}

/**
 * sesame_person_get_groups:
 * @self: a #SesamePerson
 *
 * Lists the person's teaching groups. The array belongs to @self and is
 * never %NULL.
 *
 * Returns: (transfer none) (array zero-terminated=1): the person's groups
 */
const char * const *
sesame_person_get_groups (SesamePerson *self)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (SESAME_IS_PERSON (self), empty);
  return self->groups ? (const char * const *) self->groups : empty;
}

void
_sesame_person_set_groups (SesamePerson       *self,
                           const char * const *groups)
{
  g_return_if_fail (SESAME_IS_PERSON (self));
  g_strfreev (self->groups);
  self->groups = g_strdupv ((char **) groups);
}

/**
 * sesame_person_dup_classes_label:
 * @self: a #SesamePerson
 *
 * Writes the person's classes on one line, for lists and letters.
 *
 * Returns: (transfer full): the classes joined by ", "
 */
char *
sesame_person_dup_classes_label (SesamePerson *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON (self), NULL);
  return g_strjoinv (", ", (char **) sesame_person_get_classes (self));
}

/**
 * sesame_person_is_distributable:
 * @self: a #SesamePerson
 *
 * Tells whether the person's account is one Sésame prints, exports and
 * mails, by their profile (sesame_profile_is_distributable()).
 *
 * Returns: whether Sésame hands out this person's credentials (never for
 *   academy staff)
 */
gboolean
sesame_person_is_distributable (SesamePerson *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON (self), FALSE);
  return sesame_profile_is_distributable (self->profile);
}

/**
 * sesame_person_get_has_left:
 * @self: a #SesamePerson
 *
 * Tells whether the person left the establishment, which disables their
 * account (%SESAME_ACCOUNT_STATE_DISABLED).
 *
 * Returns: %TRUE when the last import no longer listed the person
 */
gboolean
sesame_person_get_has_left (SesamePerson *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON (self), FALSE);
  return self->has_left;
}

void
_sesame_person_set_has_left (SesamePerson *self,
                             gboolean      has_left)
{
  g_return_if_fail (SESAME_IS_PERSON (self));
  self->has_left = !!has_left;
}

/**
 * sesame_person_get_must_change_password:
 * @self: a #SesamePerson
 *
 * Tells whether the person's current password is one an operator gave.
 *
 * Returns: %TRUE when the person must choose a new password at their next
 *   sign-in (their password was given to them by an operator)
 */
gboolean
sesame_person_get_must_change_password (SesamePerson *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON (self), FALSE);
  return self->must_change_password;
}

void
_sesame_person_set_must_change_password (SesamePerson *self,
                                         gboolean      must_change)
{
  g_return_if_fail (SESAME_IS_PERSON (self));
  self->must_change_password = !!must_change;
}

/**
 * sesame_person_get_account_created_at:
 * @self: a #SesamePerson
 *
 * Gives when the person's ENT account was created.
 *
 * Returns: when the account was created, in Unix seconds, or 0 without one
 */
gint64
sesame_person_get_account_created_at (SesamePerson *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON (self), 0);
  return self->account_created_at;
}

/**
 * sesame_person_get_first_sign_in_at:
 * @self: a #SesamePerson
 *
 * Gives when the person first signed in to the ENT, which turns the
 * account from pending to active.
 *
 * Returns: when the person first signed in, in Unix seconds, or 0 if never
 */
gint64
sesame_person_get_first_sign_in_at (SesamePerson *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON (self), 0);
  return self->first_sign_in_at;
}

/**
 * sesame_person_get_last_sign_in_at:
 * @self: a #SesamePerson
 *
 * Gives when the person last signed in to the ENT.
 *
 * Returns: when the person last signed in, in Unix seconds, or 0 if never
 */
gint64
sesame_person_get_last_sign_in_at (SesamePerson *self)
{
  g_return_val_if_fail (SESAME_IS_PERSON (self), 0);
  return self->last_sign_in_at;
}

void
_sesame_person_set_times (SesamePerson *self,
                          gint64        account_created_at,
                          gint64        first_sign_in_at,
                          gint64        last_sign_in_at)
{
  g_return_if_fail (SESAME_IS_PERSON (self));
  self->account_created_at = account_created_at;
  self->first_sign_in_at = first_sign_in_at;
  self->last_sign_in_at = last_sign_in_at;
}
