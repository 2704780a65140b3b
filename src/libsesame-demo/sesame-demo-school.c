/* sesame-demo-school.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds the establishments of a demo academy. Each one is built on its own
 * from the seed and its index, so the writer can rebuild it for every file
 * kind instead of holding the whole academy in memory, and builds it the same
 * every time.
 *
 * Families: about 1.45 guardians per pupil (mother and father, one parent, a
 * tutor, now and then a relative who is only a contact), siblings in the same
 * establishment, and between two neighbouring establishments (a collège and
 * a lycée) a few families with a child in each: those parents appear in the
 * files of both, as in real per-establishment exports. Homonyms are made on
 * purpose, one pupil in a hundred, besides those that common names bring.
 */
#include "config.h"

#include <string.h>

#include "sesame-demo-directory-private.h"

#define CLASS_SIZE     28
#define SHARED_PERCENT 3
#define NO_SUBJECT     -1

static GRand *
seeded_rand (guint32 seed,
             guint32 a,
             guint32 b)
{
  guint32 seeds[] = { seed, a, b, 0x5e5a3e };

  return g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));
}

static gboolean
chance (GRand  *rand,
        double  probability)
{
  return g_rand_double (rand) < probability;
}

static gboolean
is_lycee (guint index)
{
  return index % 5 == 1 || index % 5 == 3;
}

DemoAcademy *
_sesame_demo_academy_new (guint32     seed,
                          guint       n_schools,
                          guint       n_pupils,
                          const char *date)
{
  DemoAcademy *academy = g_new0 (DemoAcademy, 1);
  g_autoptr(GRand) rand = seeded_rand (seed, 0xacade, 0);
  g_autofree double *cumulative = g_new0 (double, n_schools + 1);
  guint year, month;

  g_assert (n_schools > 0);
  g_assert (date != NULL && strlen (date) == 8);

  academy->seed = seed;
  academy->n_schools = n_schools;
  academy->n_pupils = n_pupils;
  g_strlcpy (academy->date, date, sizeof academy->date);
  year = (guint) g_ascii_strtoull (date, NULL, 10) / 10000;
  month = (guint) (g_ascii_strtoull (date, NULL, 10) / 100) % 100;
  academy->start_year = month >= 8 ? year : year - 1;

  /* Lycées are larger than collèges; sizes vary by a factor of two. */
  for (guint i = 0; i < n_schools; i++)
    cumulative[i + 1] = cumulative[i] + (0.7 + 0.6 * g_rand_double (rand)) * (is_lycee (i) ? 1.5 : 1.0);

  academy->school_pupils = g_new0 (guint, n_schools);
  academy->pupil_offset = g_new0 (guint, n_schools);
  for (guint i = 0; i < n_schools; i++)
    {
      guint before = (guint) ((double) n_pupils * cumulative[i] / cumulative[n_schools]);
      guint after = i + 1 == n_schools ? n_pupils
                    : (guint) ((double) n_pupils * cumulative[i + 1] / cumulative[n_schools]);

      academy->pupil_offset[i] = before;
      academy->school_pupils[i] = after - before;
    }

  return academy;
}

void
_sesame_demo_academy_free (DemoAcademy *academy)
{
  if (academy == NULL)
    return;
  g_free (academy->school_pupils);
  g_free (academy->pupil_offset);
  g_free (academy);
}

/* Families with a child in each of two neighbouring establishments. */
static guint
shared_families (const DemoAcademy *academy,
                 guint              first)
{
  g_assert (first % 2 == 0);
  if (first + 1 >= academy->n_schools)
    return 0;
  return MIN (academy->school_pupils[first], academy->school_pupils[first + 1]) * SHARED_PERCENT / 100;
}

typedef struct
{
  const DemoTables  *t;
  const DemoAcademy *academy;
  DemoSchool        *school;
  guint32            next_pupil_key;
  guint32            next_parent_key;
  guint32            next_staff_key;
} Builder;

static void
describe_school (const DemoAcademy *academy,
                 guint              index,
                 DemoSchool        *school)
{
  const DemoTables *t = _sesame_demo_tables ();
  g_autoptr(GRand) rand = seeded_rand (academy->seed, index, 1);
  char digits[8];

  school->index = index;
  school->jointure = DEMO_JOINTURE_BASE + index;
  school->lycee = is_lycee (index);
  school->spaced_codes = index % 4 == 1 || index % 4 == 2;
  school->city = demo_pick (rand, t->n_cities);

  /* 7 digits, the department first; 7 is prime to 10,000 so numbers never
   * repeat below DEMO_MAX_SCHOOLS. */
  g_snprintf (digits, sizeof digits, "%s%04u",
              t->departments[t->cities[school->city].department], (index * 7 + 17) % 10000);
  g_snprintf (school->uai, sizeof school->uai, "%s%c", digits, _sesame_demo_uai_letter (digits));

  school->name = g_strdup_printf ("%s %s", school->lycee ? "LYCEE" : "COLLEGE",
                                  demo_list_pick (rand, &t->patrons));
  school->street = g_strdup_printf ("%u %s", 1 + demo_pick (rand, 80), demo_list_pick (rand, &t->streets));
}

static guint8
near_city (GRand            *rand,
           const DemoTables *t,
           guint             city)
{
  guint department = t->cities[city].department;
  guint candidate;

  if (chance (rand, 0.8))
    return city;
  /* A neighbouring town of the same department. */
  candidate = demo_pick (rand, t->n_cities);
  for (guint i = 0; i < t->n_cities; i++)
    {
      guint c = (candidate + i) % t->n_cities;
      if (t->cities[c].department == department)
        return c;
    }
  return city;
}

static void
make_address (GRand            *rand,
              const DemoTables *t,
              guint             city,
              DemoAddress      *address)
{
  address->number = 1 + demo_pick (rand, 120);
  address->street = demo_list_pick (rand, &t->streets);
  address->lines = chance (rand, 0.18) ? 4 : 1;
  address->residence = demo_list_pick (rand, &t->residences);
  address->flat = 1 + demo_pick (rand, 60);
  address->city = near_city (rand, t, city);
  address->abroad = demo_pick (rand, t->n_abroad);
  /* Cross-border families of Haute-Savoie. */
  if (t->cities[city].department != 0 || !chance (rand, 0.03))
    address->abroad = G_MAXUINT8;
}

static void
make_parent (GRand            *rand,
             const DemoTables *t,
             DemoParent       *parent,
             gboolean          woman,
             guint8            relationship,
             const char       *last,
             const char       *birth_last)
{
  parent->woman = woman;
  parent->first = woman ? t->women.items[demo_pick_skewed (rand, t->women.n_items)]
                        : t->men.items[demo_pick_skewed (rand, t->men.n_items)];
  parent->last = last;
  parent->birth_last = birth_last;
  parent->relationship = relationship;
  parent->legal = relationship != DEMO_REL_FAMILY;
  parent->contact = relationship == DEMO_REL_FAMILY;
  parent->mail_style = chance (rand, 0.70) ? 1 + demo_pick (rand, 4) : 0;
  parent->mail_number = 1 + demo_pick (rand, 98);
  parent->mail_first = parent->first;
  parent->mail_last = last;
  parent->mobile = chance (rand, 0.92) ? 1 + demo_pick (rand, 10000) : 0;
  parent->home = chance (rand, 0.35) ? 1 + demo_pick (rand, 10000) : 0;
  parent->work = chance (rand, 0.25) ? 1 + demo_pick (rand, 10000) : 0;
}

static const char *
pick_first_name (GRand            *rand,
                 const DemoTables *t,
                 gboolean          girl)
{
  const DemoList *list = girl ? &t->girls : &t->boys;

  return list->items[demo_pick_skewed (rand, list->n_items)];
}

static void
make_child (Builder          *b,
            GRand            *rand,
            DemoPupil        *child,
            const char       *last,
            const char       *last2,
            gboolean          lycee,
            const DemoPupil  *sibling)
{
  const DemoTables *t = b->t;
  gboolean twin = sibling != NULL && chance (rand, 0.04);
  guint age;

  child->girl = chance (rand, 0.49);
  child->first = pick_first_name (rand, t, child->girl);
  if (sibling != NULL && child->first == sibling->first)
    child->first = pick_first_name (rand, t, child->girl);
  child->other_first = chance (rand, 0.6) ? pick_first_name (rand, t, child->girl) : NULL;
  child->last = last;
  child->last2 = last2;

  child->level = lycee ? 4 + demo_pick (rand, 3) : demo_pick (rand, 4);
  if (sibling != NULL && child->level == sibling->level && !twin)
    child->level = lycee ? 4 + demo_pick (rand, 3) : demo_pick (rand, 4);

  age = t->levels[child->level].age;
  if (chance (rand, 0.07))
    age++;                      /* repeated a year */
  else if (chance (rand, 0.01))
    age--;                      /* skipped one */
  child->birth_year = b->academy->start_year - age;
  child->birth_month = 1 + demo_pick (rand, 12);
  child->birth_day = 1 + demo_pick (rand, g_date_get_days_in_month ((GDateMonth) child->birth_month,
                                                                    (GDateYear) child->birth_year));
  if (twin && sibling->level == child->level)
    {
      child->birth_year = sibling->birth_year;
      child->birth_month = sibling->birth_month;
      child->birth_day = sibling->birth_day;
    }

  child->ine = g_rand_int (rand);
  child->regime = demo_pick (rand, t->regimes.n_items);
  child->scholarship = chance (rand, 0.25);
  child->transport = chance (rand, 0.3);
  child->repeat_parent = chance (rand, 0.002);
}

/* Makes a family's guardians and children. Only the children whose flag is
 * set in @keep join this school; @lycee says which kind of establishment
 * each child attends. Random draws never depend on @keep, so the two
 * establishments of a shared family build the same people. */
static void
add_family (Builder          *b,
            GRand            *rand,
            guint             n_children,
            const gboolean   *lycee,
            const gboolean   *keep,
            guint32           parent_key,
            gboolean          owned,
            guint             city,
            const DemoPupil  *homonym_of)
{
  const DemoTables *t = b->t;
  DemoSchool *school = b->school;
  DemoFamily family = { 0 };
  DemoParent parents[3] = { { 0 } };
  DemoAddress home;
  const char *family_last = t->last_names.items[demo_pick_skewed (rand, t->last_names.n_items)];
  double u = g_rand_double (rand);
  guint n_parents = u < 0.58 ? 1 : u < 0.97 ? 2 : 3;
  gboolean father = FALSE;
  DemoPupil previous = { 0 };

  if (homonym_of != NULL)
    family_last = homonym_of->last;

  make_address (rand, t, city, &home);

  if (n_parents == 1)
    {
      double r = g_rand_double (rand);

      if (r < 0.70)
        make_parent (rand, t, &parents[0], TRUE, DEMO_REL_MOTHER, family_last, family_last);
      else if (r < 0.95)
        {
          make_parent (rand, t, &parents[0], FALSE, DEMO_REL_FATHER, family_last, family_last);
          father = TRUE;
        }
      else
        {
          const char *last = t->last_names.items[demo_pick (rand, t->last_names.n_items)];

          make_parent (rand, t, &parents[0], chance (rand, 0.5), DEMO_REL_TUTOR, last, last);
        }
    }
  else
    {
      const char *maiden = t->last_names.items[demo_pick_skewed (rand, t->last_names.n_items)];
      gboolean same_sex = chance (rand, 0.02);

      /* Many mothers use their married name, others their own. */
      make_parent (rand, t, &parents[0], TRUE, DEMO_REL_MOTHER,
                   chance (rand, 0.55) ? family_last : maiden, maiden);
      if (same_sex)
        make_parent (rand, t, &parents[1], TRUE, DEMO_REL_MOTHER, family_last, family_last);
      else
        make_parent (rand, t, &parents[1], FALSE, DEMO_REL_FATHER, family_last, family_last);
      father = !same_sex;

      /* A couple sharing one email address. */
      if (parents[0].mail_style != 0 && chance (rand, 0.10))
        {
          parents[1].mail_style = parents[0].mail_style;
          parents[1].mail_number = parents[0].mail_number;
          parents[1].mail_first = parents[0].mail_first;
          parents[1].mail_last = parents[0].mail_last;
        }

      if (n_parents == 3)
        {
          const char *last = t->last_names.items[demo_pick (rand, t->last_names.n_items)];

          if (chance (rand, 0.5))
            make_parent (rand, t, &parents[2], chance (rand, 0.5), DEMO_REL_TUTOR, last, last);
          else
            make_parent (rand, t, &parents[2], TRUE, DEMO_REL_FAMILY, family_last, family_last);
        }
    }

  for (guint i = 0; i < n_parents; i++)
    {
      gboolean separated = i == 1 && chance (rand, 0.15);

      parents[i].address = home;
      if (separated || i == 2)
        make_address (rand, t, city, &parents[i].address);
      parents[i].key = parent_key + i;
      parents[i].owned = owned;
    }
  parents[0].financial = 1;
  parents[0].payment = 1;

  family.first_parent = school->parents->len;
  family.n_parents = n_parents;
  family.last = family_last;
  /* A double name, "Martin Dubois": father's then mother's. */
  if (father && n_parents >= 2 && chance (rand, 0.04) && parents[0].birth_last != family_last)
    family.last2 = parents[0].birth_last;

  g_array_append_vals (school->parents, parents, n_parents);
  g_array_append_val (school->families, family);

  for (guint c = 0; c < n_children; c++)
    {
      DemoPupil child = { 0 };

      /* Siblings at the same kind of establishment are in different
       * years, twins aside. */
      make_child (b, rand, &child, family.last, family.last2, lycee[c],
                  c > 0 && lycee[c - 1] == lycee[c] ? &previous : NULL);
      if (c == 0 && homonym_of != NULL)
        {
          child.girl = homonym_of->girl;
          child.first = homonym_of->first;
          child.last2 = homonym_of->last2;
        }
      previous = child;

      if (!keep[c])
        continue;
      child.key = b->next_pupil_key++;
      child.family = school->families->len - 1;
      g_array_append_val (school->pupils, child);
    }
}

static void
build_families (Builder *b)
{
  const DemoAcademy *academy = b->academy;
  DemoSchool *school = b->school;
  guint index = school->index;
  guint n_pupils = academy->school_pupils[index];
  guint first = index - index % 2;
  guint n_shared = shared_families (academy, first);
  g_autoptr(GRand) rand = seeded_rand (academy->seed, index, 2);

  if (n_shared > 0)
    {
      g_autoptr(GRand) shared = seeded_rand (academy->seed, first, 3);
      DemoSchool first_school = { 0 };
      guint32 base = DEMO_PARENT_KEY_BASE + 3 * academy->pupil_offset[first] +
                     3 * (academy->school_pupils[first] - n_shared);
      gboolean lycee[2] = { is_lycee (first), is_lycee (first + 1) };
      gboolean keep[2] = { index == first, index != first };

      describe_school (academy, first, &first_school);
      for (guint k = 0; k < n_shared; k++)
        add_family (b, shared, 2, lycee, keep, base + 3 * k, index == first,
                    first_school.city, NULL);
      g_free (first_school.name);
      g_free (first_school.street);
    }

  while (school->pupils->len < n_pupils)
    {
      guint left = n_pupils - school->pupils->len;
      double u = g_rand_double (rand);
      guint n_children = MIN (left, u < 0.92 ? 1u : u < 0.99 ? 2u : 3u);
      gboolean lycee[3] = { school->lycee, school->lycee, school->lycee };
      gboolean keep[3] = { TRUE, TRUE, TRUE };
      DemoPupil homonym;
      gboolean has_homonym = school->pupils->len > 0 && chance (rand, 0.01);
      guint32 parent_key = b->next_parent_key;

      if (has_homonym)
        homonym = g_array_index (school->pupils, DemoPupil, demo_pick (rand, school->pupils->len));

      add_family (b, rand, n_children, lycee, keep, parent_key, TRUE, school->city,
                  has_homonym ? &homonym : NULL);
      b->next_parent_key += g_array_index (school->families, DemoFamily, school->families->len - 1).n_parents;
    }
}

static void
class_code (const DemoSchool *school,
            const DemoLevel  *level,
            guint             number,
            char             *code,
            gsize             size)
{
  const char *stem = school->spaced_codes ? level->spaced : level->compact;

  if (level->lycee)
    g_snprintf (code, size, "%s%u", stem, number + 1);
  else if (number < 26)
    g_snprintf (code, size, "%s%c", stem, 'A' + number);
  else
    g_snprintf (code, size, "%s%c%c", stem, 'A' + number / 26 - 1, 'A' + number % 26);
}

static guint16
add_group (DemoSchool *school,
           const char *code,
           guint8      level,
           gint8       subject)
{
  DemoGroup group = { .level = level, .subject = subject };

  g_strlcpy (group.code, code, sizeof group.code);
  g_array_append_val (school->groups, group);
  return school->groups->len - 1;
}

static void
build_classes (Builder *b)
{
  const DemoTables *t = b->t;
  DemoSchool *school = b->school;
  g_autoptr(GRand) rand = seeded_rand (b->academy->seed, school->index, 5);
  g_autofree gint8 *choice = g_new (gint8, school->pupils->len);
  g_autofree gint8 *option = g_new (gint8, school->pupils->len);

  for (guint level = 0; level < t->n_levels; level++)
    {
      guint count = 0, n_classes, k = 0, first_class = school->classes->len;
      guint first_half = school->groups->len;

      for (guint i = 0; i < school->pupils->len; i++)
        count += g_array_index (school->pupils, DemoPupil, i).level == level;
      if (count == 0)
        continue;

      n_classes = (count + CLASS_SIZE - 1) / CLASS_SIZE;
      for (guint c = 0; c < n_classes; c++)
        {
          DemoClass klass = { .level = level };

          class_code (school, &t->levels[level], c, klass.code, sizeof klass.code);
          g_array_append_val (school->classes, klass);

          /* Half-class groups for laboratory work, from 4e on. */
          if (level >= 2)
            for (guint h = 1; h <= 2; h++)
              {
                char code[24];

                g_snprintf (code, sizeof code, school->spaced_codes ? "%s gr%u" : "%s_GR%u", klass.code, h);
                add_group (school, code, level, NO_SUBJECT);
              }
        }

      for (guint i = 0; i < school->pupils->len; i++)
        {
          DemoPupil *pupil = &g_array_index (school->pupils, DemoPupil, i);
          DemoClass *klass;
          guint j = k++ % n_classes;

          if (pupil->level != level)
            {
              k--;
              continue;
            }
          pupil->klass = first_class + j;
          klass = &g_array_index (school->classes, DemoClass, pupil->klass);
          if (level >= 2)
            pupil->groups[pupil->n_groups++] = first_half + 2 * j + klass->n_pupils % 2;
          klass->n_pupils++;
        }
    }

  /* Second languages and options. */
  for (guint i = 0; i < school->pupils->len; i++)
    {
      const DemoPupil *pupil = &g_array_index (school->pupils, DemoPupil, i);
      double u = g_rand_double (rand);
      double v = g_rand_double (rand);

      choice[i] = option[i] = NO_SUBJECT;
      for (guint s = 0, lv2 = 0; s < t->n_subjects; s++)
        {
          const DemoSubject *subject = &t->subjects[s];

          if (!(subject->levels & (1 << pupil->level)))
            continue;
          if (subject->teaching == DEMO_TEACH_LV2)
            {
              /* Spanish, then German, then Italian. */
              static const double share[] = { 0.60, 0.88, 1.0 };
              if (choice[i] == NO_SUBJECT && u < share[MIN (lv2, 2)])
                choice[i] = s;
              lv2++;
            }
          else if (subject->teaching == DEMO_TEACH_OPTION && v < 0.2)
            option[i] = s;
        }
    }

  for (guint level = 0; level < t->n_levels; level++)
    for (guint s = 0; s < t->n_subjects; s++)
      {
        const DemoSubject *subject = &t->subjects[s];
        gint8 *chosen = subject->teaching == DEMO_TEACH_LV2 ? choice : option;
        guint count = 0, n_groups, first_group = school->groups->len, k = 0;
        char stem[8];

        if (subject->teaching == DEMO_TEACH_CLASS || !(subject->levels & (1 << level)))
          continue;
        for (guint i = 0; i < school->pupils->len; i++)
          count += g_array_index (school->pupils, DemoPupil, i).level == level && chosen[i] == (gint8) s;
        if (count == 0)
          continue;

        g_strlcpy (stem, subject->label, 4);
        n_groups = (count + CLASS_SIZE - 1) / CLASS_SIZE;
        for (guint g = 0; g < n_groups; g++)
          {
            char code[24];

            if (subject->teaching == DEMO_TEACH_LV2)
              g_snprintf (code, sizeof code, "%s %s%u", t->levels[level].compact, stem, g + 1);
            else
              g_snprintf (code, sizeof code, "%s%s_%u", stem, t->levels[level].compact, g + 1);
            add_group (school, code, level, s);
          }
        for (guint i = 0; i < school->pupils->len; i++)
          {
            DemoPupil *pupil = &g_array_index (school->pupils, DemoPupil, i);

            if (pupil->level == level && chosen[i] == (gint8) s)
              pupil->groups[pupil->n_groups++] = first_group + k++ % n_groups;
          }
      }
}

static DemoStaff *
add_staff (Builder      *b,
           GRand        *rand,
           DemoFunction  function,
           guint8        subject)
{
  const DemoTables *t = b->t;
  DemoStaff staff = { 0 };

  staff.key = b->next_staff_key++;
  staff.woman = chance (rand, 0.6);
  staff.first = staff.woman ? t->women.items[demo_pick_skewed (rand, t->women.n_items)]
                            : t->men.items[demo_pick_skewed (rand, t->men.n_items)];
  staff.last = t->last_names.items[demo_pick_skewed (rand, t->last_names.n_items)];
  staff.has_mail = chance (rand, 0.85);
  staff.birth_year = b->academy->start_year - 26 - demo_pick (rand, 36);
  staff.birth_month = 1 + demo_pick (rand, 12);
  staff.birth_day = 1 + demo_pick (rand, g_date_get_days_in_month ((GDateMonth) staff.birth_month,
                                                                   (GDateYear) staff.birth_year));
  staff.function = function;
  staff.subject = subject;
  staff.principal = -1;
  staff.classes = g_array_new (FALSE, FALSE, sizeof (guint16));
  staff.groups = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_array_append_val (b->school->staff, staff);
  return &g_array_index (b->school->staff, DemoStaff, b->school->staff->len - 1);
}

static gboolean
teaches_class (const DemoStaff *staff,
               guint16          klass)
{
  for (guint i = 0; i < staff->classes->len; i++)
    if (g_array_index (staff->classes, guint16, i) == klass)
      return TRUE;
  return FALSE;
}

static void
build_staff (Builder *b)
{
  const DemoTables *t = b->t;
  DemoSchool *school = b->school;
  g_autoptr(GRand) rand = seeded_rand (b->academy->seed, school->index, 4);
  guint n_pupils = school->pupils->len;
  /* Who usually leads a class: French, maths, history, English first. */
  static const guint8 preference[] = { 0, 1, 3, 2, 4, 5, 10, 11, 6, 9, 12, 7, 8 };

  add_staff (b, rand, DEMO_FUNCTION_DIR, 0);
  for (guint i = 0; i < 1 + n_pupils / 900; i++)
    add_staff (b, rand, DEMO_FUNCTION_EDU, 0);
  add_staff (b, rand, DEMO_FUNCTION_DOC, 0);
  for (guint i = 0; i < 2 + n_pupils / 700; i++)
    add_staff (b, rand, DEMO_FUNCTION_ADF, 0);

  for (guint s = 0; s < t->n_subjects; s++)
    {
      const DemoSubject *subject = &t->subjects[s];
      g_autoptr(GArray) units = g_array_new (FALSE, FALSE, sizeof (guint16));
      guint n_teachers, first_teacher = school->staff->len;

      if (subject->teaching == DEMO_TEACH_CLASS)
        {
          for (guint16 c = 0; c < school->classes->len; c++)
            if (subject->levels & (1 << g_array_index (school->classes, DemoClass, c).level))
              g_array_append_val (units, c);
        }
      else
        {
          for (guint16 g = 0; g < school->groups->len; g++)
            if (g_array_index (school->groups, DemoGroup, g).subject == (gint8) s)
              g_array_append_val (units, g);
        }
      if (units->len == 0)
        continue;

      n_teachers = (units->len + subject->classes_per_teacher - 1) / subject->classes_per_teacher;
      for (guint i = 0; i < n_teachers; i++)
        add_staff (b, rand, DEMO_FUNCTION_ENS, s);
      for (guint u = 0; u < units->len; u++)
        {
          DemoStaff *teacher = &g_array_index (school->staff, DemoStaff, first_teacher + u % n_teachers);

          g_array_append_val (subject->teaching == DEMO_TEACH_CLASS ? teacher->classes : teacher->groups,
                              g_array_index (units, guint16, u));
        }
    }

  /* One main teacher per class, each leading one class at most. */
  for (guint16 c = 0; c < school->classes->len; c++)
    {
      DemoStaff *chosen = NULL;

      for (guint p = 0; p < G_N_ELEMENTS (preference) && chosen == NULL; p++)
        for (guint i = 0; i < school->staff->len && chosen == NULL; i++)
          {
            DemoStaff *staff = &g_array_index (school->staff, DemoStaff, i);

            if (staff->function == DEMO_FUNCTION_ENS && staff->subject == preference[p] &&
                staff->principal < 0 && teaches_class (staff, c))
              chosen = staff;
          }
      for (guint i = 0; i < school->staff->len && chosen == NULL; i++)
        {
          DemoStaff *staff = &g_array_index (school->staff, DemoStaff, i);

          if (staff->function == DEMO_FUNCTION_ENS && staff->principal < 0 &&
              t->subjects[staff->subject].teaching == DEMO_TEACH_CLASS)
            {
              chosen = staff;
              if (!teaches_class (staff, c))
                g_array_append_val (staff->classes, c);
            }
        }
      if (chosen != NULL)
        chosen->principal = c;
    }
}

DemoSchool *
_sesame_demo_school_build (const DemoAcademy *academy,
                           guint              index)
{
  DemoSchool *school = g_new0 (DemoSchool, 1);
  Builder b = { _sesame_demo_tables (), academy, school, 0, 0, 0 };
  guint offset = academy->pupil_offset[index];

  g_assert (index < academy->n_schools);

  describe_school (academy, index, school);
  school->classes = g_array_new (FALSE, FALSE, sizeof (DemoClass));
  school->groups = g_array_new (FALSE, FALSE, sizeof (DemoGroup));
  school->families = g_array_new (FALSE, FALSE, sizeof (DemoFamily));
  school->parents = g_array_new (FALSE, FALSE, sizeof (DemoParent));
  school->pupils = g_array_sized_new (FALSE, FALSE, sizeof (DemoPupil), academy->school_pupils[index]);
  school->staff = g_array_new (FALSE, FALSE, sizeof (DemoStaff));

  /* Disjoint key ranges: a school has fewer than 3 guardians per pupil and
   * fewer than 64 + n/4 staff. */
  b.next_pupil_key = DEMO_PUPIL_KEY_BASE + offset;
  b.next_parent_key = DEMO_PARENT_KEY_BASE + 3 * offset;
  b.next_staff_key = DEMO_STAFF_KEY_BASE + 64 * index + offset / 4;

  build_families (&b);
  build_classes (&b);
  build_staff (&b);

  g_assert (school->staff->len < 64 + academy->school_pupils[index] / 4);
  return school;
}

void
_sesame_demo_school_free (DemoSchool *school)
{
  if (school == NULL)
    return;
  for (guint i = 0; i < school->staff->len; i++)
    {
      DemoStaff *staff = &g_array_index (school->staff, DemoStaff, i);

      g_array_unref (staff->classes);
      g_array_unref (staff->groups);
    }
  g_array_unref (school->classes);
  g_array_unref (school->groups);
  g_array_unref (school->families);
  g_array_unref (school->parents);
  g_array_unref (school->pupils);
  g_array_unref (school->staff);
  g_free (school->name);
  g_free (school->street);
  g_free (school);
}
