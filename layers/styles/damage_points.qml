<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16-Białowieża" styleCategories="AllStyleCategories" labelsEnabled="0" hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0">
  <renderer-v2 type="categorizedSymbol" symbollevels="0" forceraster="0" enableorderby="0" referencescale="-1" attr="damage_level">
    <categories>
      <category value="destroyed" label="Destruida" symbol="0" render="true" />
      <category value="uninhabitable" label="Inhabitable (no habitable)" symbol="1" render="true" />
      <category value="severe" label="Daño severo" symbol="2" render="true" />
      <category value="partial" label="Daño parcial" symbol="3" render="true" />
      <category value="minor" label="Daño menor" symbol="4" render="true" />
      <category value="none" label="Sin daño" symbol="5" render="true" />
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="circle" />
            <Option name="color" type="QString" value="213,94,0,255" />
            <Option name="outline_color" type="QString" value="51,51,51,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.2" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="size" type="QString" value="2.6" />
            <Option name="size_unit" type="QString" value="MM" />
            <Option name="angle" type="QString" value="0" />
            <Option name="joinstyle" type="QString" value="bevel" />
            <Option name="scale_method" type="QString" value="diameter" />
            <Option name="vertical_anchor_point" type="QString" value="1" />
            <Option name="horizontal_anchor_point" type="QString" value="1" />
          </Option>
          <prop k="name" v="circle" />
          <prop k="color" v="213,94,0,255" />
          <prop k="outline_color" v="51,51,51,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.2" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="size" v="2.6" />
          <prop k="size_unit" v="MM" />
          <prop k="angle" v="0" />
          <prop k="joinstyle" v="bevel" />
          <prop k="scale_method" v="diameter" />
          <prop k="vertical_anchor_point" v="1" />
          <prop k="horizontal_anchor_point" v="1" />
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="circle" />
            <Option name="color" type="QString" value="204,121,167,255" />
            <Option name="outline_color" type="QString" value="51,51,51,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.2" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="size" type="QString" value="2.4" />
            <Option name="size_unit" type="QString" value="MM" />
            <Option name="angle" type="QString" value="0" />
            <Option name="joinstyle" type="QString" value="bevel" />
            <Option name="scale_method" type="QString" value="diameter" />
            <Option name="vertical_anchor_point" type="QString" value="1" />
            <Option name="horizontal_anchor_point" type="QString" value="1" />
          </Option>
          <prop k="name" v="circle" />
          <prop k="color" v="204,121,167,255" />
          <prop k="outline_color" v="51,51,51,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.2" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="size" v="2.4" />
          <prop k="size_unit" v="MM" />
          <prop k="angle" v="0" />
          <prop k="joinstyle" v="bevel" />
          <prop k="scale_method" v="diameter" />
          <prop k="vertical_anchor_point" v="1" />
          <prop k="horizontal_anchor_point" v="1" />
        </layer>
      </symbol>
      <symbol type="marker" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="circle" />
            <Option name="color" type="QString" value="230,159,0,255" />
            <Option name="outline_color" type="QString" value="51,51,51,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.2" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="size" type="QString" value="2.2" />
            <Option name="size_unit" type="QString" value="MM" />
            <Option name="angle" type="QString" value="0" />
            <Option name="joinstyle" type="QString" value="bevel" />
            <Option name="scale_method" type="QString" value="diameter" />
            <Option name="vertical_anchor_point" type="QString" value="1" />
            <Option name="horizontal_anchor_point" type="QString" value="1" />
          </Option>
          <prop k="name" v="circle" />
          <prop k="color" v="230,159,0,255" />
          <prop k="outline_color" v="51,51,51,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.2" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="size" v="2.2" />
          <prop k="size_unit" v="MM" />
          <prop k="angle" v="0" />
          <prop k="joinstyle" v="bevel" />
          <prop k="scale_method" v="diameter" />
          <prop k="vertical_anchor_point" v="1" />
          <prop k="horizontal_anchor_point" v="1" />
        </layer>
      </symbol>
      <symbol type="marker" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="circle" />
            <Option name="color" type="QString" value="240,228,66,255" />
            <Option name="outline_color" type="QString" value="51,51,51,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.2" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="size" type="QString" value="1.9" />
            <Option name="size_unit" type="QString" value="MM" />
            <Option name="angle" type="QString" value="0" />
            <Option name="joinstyle" type="QString" value="bevel" />
            <Option name="scale_method" type="QString" value="diameter" />
            <Option name="vertical_anchor_point" type="QString" value="1" />
            <Option name="horizontal_anchor_point" type="QString" value="1" />
          </Option>
          <prop k="name" v="circle" />
          <prop k="color" v="240,228,66,255" />
          <prop k="outline_color" v="51,51,51,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.2" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="size" v="1.9" />
          <prop k="size_unit" v="MM" />
          <prop k="angle" v="0" />
          <prop k="joinstyle" v="bevel" />
          <prop k="scale_method" v="diameter" />
          <prop k="vertical_anchor_point" v="1" />
          <prop k="horizontal_anchor_point" v="1" />
        </layer>
      </symbol>
      <symbol type="marker" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="circle" />
            <Option name="color" type="QString" value="86,180,233,255" />
            <Option name="outline_color" type="QString" value="51,51,51,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.2" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="size" type="QString" value="1.6" />
            <Option name="size_unit" type="QString" value="MM" />
            <Option name="angle" type="QString" value="0" />
            <Option name="joinstyle" type="QString" value="bevel" />
            <Option name="scale_method" type="QString" value="diameter" />
            <Option name="vertical_anchor_point" type="QString" value="1" />
            <Option name="horizontal_anchor_point" type="QString" value="1" />
          </Option>
          <prop k="name" v="circle" />
          <prop k="color" v="86,180,233,255" />
          <prop k="outline_color" v="51,51,51,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.2" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="size" v="1.6" />
          <prop k="size_unit" v="MM" />
          <prop k="angle" v="0" />
          <prop k="joinstyle" v="bevel" />
          <prop k="scale_method" v="diameter" />
          <prop k="vertical_anchor_point" v="1" />
          <prop k="horizontal_anchor_point" v="1" />
        </layer>
      </symbol>
      <symbol type="marker" name="5" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="circle" />
            <Option name="color" type="QString" value="153,153,153,255" />
            <Option name="outline_color" type="QString" value="51,51,51,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.2" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="size" type="QString" value="1.3" />
            <Option name="size_unit" type="QString" value="MM" />
            <Option name="angle" type="QString" value="0" />
            <Option name="joinstyle" type="QString" value="bevel" />
            <Option name="scale_method" type="QString" value="diameter" />
            <Option name="vertical_anchor_point" type="QString" value="1" />
            <Option name="horizontal_anchor_point" type="QString" value="1" />
          </Option>
          <prop k="name" v="circle" />
          <prop k="color" v="153,153,153,255" />
          <prop k="outline_color" v="51,51,51,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.2" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="size" v="1.3" />
          <prop k="size_unit" v="MM" />
          <prop k="angle" v="0" />
          <prop k="joinstyle" v="bevel" />
          <prop k="scale_method" v="diameter" />
          <prop k="vertical_anchor_point" v="1" />
          <prop k="horizontal_anchor_point" v="1" />
        </layer>
      </symbol>
    </symbols>
    <rotation />
    <sizescale />
  </renderer-v2>
  <layerOpacity>1</layerOpacity>
  <aliases>
    <alias field="fid" index="0" name="Identificador interno" />
    <alias field="dwelling_id" index="1" name="Identificador de vivienda" />
    <alias field="damage_level" index="2" name="Nivel de daño" />
    <alias field="cvegeo" index="3" name="Clave geoestadística (CVEGEO)" />
    <alias field="hazard_class" index="4" name="Clase de amenaza" />
  </aliases>
  <layerGeometryType>0</layerGeometryType>
</qgis>
