import { type InstagramLabels, labelsWith } from './labels';

/** `<InstagramPost>`'s words: the shared ones plus two only its album carousel reads aloud. */
export interface InstagramPostLabels extends InstagramLabels {
  /** Accessible name of an album's scrollable strip: how to move through it. */
  carouselKeys: string;
  /** Accessible name of the row of dots under an album. */
  chooseImage: string;
}

export const DEFAULT_POST_LABELS: Pick<InstagramPostLabels, 'carouselKeys' | 'chooseImage'> = {
  carouselKeys: 'Use the arrow keys to move between images',
  chooseImage: 'Choose an image',
};

/** The English defaults with the site's own words over them (`labelsWith` keeps every key it is given). */
export function postLabelsWith(overrides: Partial<InstagramPostLabels> = {}): InstagramPostLabels {
  return { ...DEFAULT_POST_LABELS, ...labelsWith(overrides) };
}
