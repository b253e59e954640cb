/**
 * dcmjs logs an error for every implicit-VR PixelData ("Invalid vr type ox -
 * using OW"), which is its dictionary's way of saying OB-or-OW, not a fault of
 * the file. Tests import this module to keep their output readable.
 */
import { log } from 'dcmjs';

log.getLogger('validation.dcmjs').setLevel('silent');
