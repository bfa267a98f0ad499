/** Shapes shared by the contracts and the files people write. */

/** Ids of stores, devices, slots, SKUs... (mqtt.md, layout.md): 1 to 64 of A-Z a-z 0-9 _ -. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ID_HINT = 'is not an id: use 1 to 64 of A-Z, a-z, 0-9, _ and -';

/** A local time of day, "HH:MM". */
export const HHMM_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
